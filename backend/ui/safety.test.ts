import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { mountUi, PUBLIC_DIR } from './routes.ts';

const files = readdirSync(PUBLIC_DIR);
const scripts = files.filter((f) => f.endsWith('.js'));
const read = (name: string) => readFileSync(join(PUBLIC_DIR, name), 'utf8');
// Comments may mention what the code must never do; only code counts.
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('UI safety rules', () => {
  it('never turns text into markup: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval', () => {
    for (const name of scripts) {
      const text = code(read(name));
      for (const banned of [
        /\.innerHTML\b/,
        /\.outerHTML\b/,
        /insertAdjacentHTML/,
        /document\.write/,
        /\beval\(/,
        /new Function\(/,
        /createContextualFragment/,
        /DOMParser/,
      ]) {
        assert.doesNotMatch(text, banned, `${name} uses ${banned}`);
      }
    }
  });

  it('never sets inline styles or handler attributes, which the Content-Security-Policy would block', () => {
    for (const name of scripts) {
      const text = code(read(name));
      assert.doesNotMatch(text, /setAttribute\(\s*['"](style|on\w+)['"]/, name);
      assert.doesNotMatch(
        text,
        /\b(style|onclick|onerror)\s*:\s*['"`]/,
        `${name}: inline style or handler in h() props`,
      );
    }
  });

  it('keeps the page free of inline scripts, styles and handlers', () => {
    const html = read('index.html');
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\ssrc="\/ui\/[\w./-]+"/, tag);
    assert.doesNotMatch(html, /<script\b[^>]*>[^<\s]/, 'a script with inline content');
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /\sstyle=/i);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'everything is loaded from this origin');
  });

  it('serves every module the page imports, as JavaScript', async () => {
    const app = new Hono();
    mountUi(app);
    const seen = new Set<string>();
    const queue = ['app.js'];
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const res = await app.request(`/ui/${name}`);
      assert.equal(res.status, 200, name);
      assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8', name);
      for (const m of (await res.text()).matchAll(
        /^\s*(?:import|export)\b[^'"]*?from\s+'\.\/([\w.-]+\.js)';/gm,
      ))
        queue.push(m[1]);
    }
    assert.deepEqual(
      [...seen].sort(),
      scripts.sort(),
      'every script is part of the page and none is missing',
    );
  });

  it('keeps the API key in sessionStorage, never localStorage or a URL', () => {
    const all = scripts.map((n) => code(read(n))).join('\n');
    assert.doesNotMatch(all, /localStorage/);
    assert.match(all, /sessionStorage\.setItem/);
    assert.doesNotMatch(all, /[?&](key|api_key|token)=/);
    assert.doesNotMatch(all, /new EventSource\(/, 'EventSource cannot send the Authorization header');
  });
});
