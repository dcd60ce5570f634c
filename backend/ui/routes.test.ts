import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Hono } from 'hono';
import { notFound } from '../../core/http/errorHandler.ts';
import {
  ASSET_CACHE_CONTROL,
  CONTENT_SECURITY_POLICY,
  INDEX_CACHE_CONTROL,
  listAssets,
  mountUi,
  PUBLIC_DIR,
} from './routes.ts';

// As the server mounts it: paths that match no route at all get the API's JSON 404.
const app = new Hono();
app.notFound(notFound);
mountUi(app);

function assertSecurityHeaders(res: Response) {
  assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
}

describe('web UI routes', () => {
  it('serves index.html at / as HTML that is revalidated on every load', async () => {
    const res = await app.request('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), INDEX_CACHE_CONTROL);
    assertSecurityHeaders(res);
    const html = await res.text();
    assert.match(html, /<script type="module" src="\/ui\/app\.js"><\/script>/);
  });

  it('sends the exact Content-Security-Policy the design asks for', () => {
    assert.equal(
      CONTENT_SECURITY_POLICY,
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
    );
  });

  it('serves assets under /ui/ with their content type, a short cache and the security headers', async () => {
    for (const [path, type] of [
      ['/ui/app.js', 'text/javascript; charset=utf-8'],
      ['/ui/style.css', 'text/css; charset=utf-8'],
      ['/ui/favicon.svg', 'image/svg+xml'],
    ]) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      assert.equal(res.headers.get('cache-control'), ASSET_CACHE_CONTROL, path);
      assertSecurityHeaders(res);
      assert.ok((await res.arrayBuffer()).byteLength > 0);
    }
  });

  it('answers 304 to a matching If-None-Match, still with the security headers', async () => {
    const first = await app.request('/ui/app.js');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const again = await app.request('/ui/app.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    assertSecurityHeaders(again);
  });

  it('answers HEAD without a body', async () => {
    const res = await app.request('/ui/style.css', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(await res.text(), '');
  });

  it('answers 404 in the API error shape for files that are not in public/', async () => {
    for (const path of [
      '/ui/nope.js',
      '/ui/index.html', // the page is served at / only
      '/ui/../routes.ts',
      '/ui/%2e%2e/routes.ts',
      '/ui/..%2froutes.ts',
      '/ui/%2e%2e%2f%2e%2e%2fpackage.json',
      '/ui/..%5croutes.ts',
      '/ui//etc/passwd',
      '/ui/%2fetc%2fpasswd',
      '/ui/app.js%00.css',
    ]) {
      const res = await app.request(path);
      assert.equal(res.status, 404, path);
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'not_found', path);
    }
  });

  it('never serves a file outside public/, whatever the request path looks like', async () => {
    const res = await app.request('/ui/../../../package.json');
    assert.notEqual(res.status, 200);
  });

  it('answers other methods on the UI paths with 404 rather than serving', async () => {
    const res = await app.request('/ui/app.js', { method: 'POST' });
    assert.equal(res.status, 404);
  });
});

describe('the asset list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-ui-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds regular files of known types only: no dotfiles, unknown types, symlinks or index.html', () => {
    const root = join(dir, 'public');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'a.js'), '');
    writeFileSync(join(root, 'sub', 'b.css'), '');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    writeFileSync(join(root, 'notes.ts'), '');
    writeFileSync(join(dir, 'outside.js'), 'secret');
    symlinkSync(join(dir, 'outside.js'), join(root, 'link.js'));
    assert.deepEqual([...listAssets(root).keys()].sort(), ['a.js', 'sub/b.css']);
  });

  it('lists every file the page loads', () => {
    const names = [...listAssets(PUBLIC_DIR).keys()];
    for (const name of ['app.js', 'style.css', 'favicon.svg']) assert.ok(names.includes(name), name);
  });
});
