/**
 * Masker.mayMask (scan.ts mayMaskAscii): the pre-check that lets a line skip the masking scan. It may
 * say "maybe" too often, never "no" for a text the scan changes: over the corpus, over random text
 * made of the pieces detectors start at, and over random JSON lines, for several configurations.
 */
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createMasker, type Masker } from './masker.ts';

const corpus = readFileSync(new URL('../../test/fixtures/masking/cases.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { name: string; input: string; secrets: string[] });

const maskers: Array<[string, Masker]> = [
  ['every built-in detector', createMasker()],
  ['extra keys', createMasker({ keys: ['pin', 'x-internal-ticket'] })],
  ['cards and tokens only', createMasker({ builtin: ['credit_card', 'token', 'jwt'] })],
  ['e-mail and keys only', createMasker({ builtin: ['email', 'password', 'secret'] })],
  ['no detector', createMasker({ builtin: [] })],
];

/** The property: a text the pre-check clears is one masking leaves as it is. */
function checkNeverMissed(masker: Masker, text: string): void {
  const bytes = Buffer.from(text);
  if (!masker.mayMask(bytes, 0, bytes.length, text)) {
    assert.equal(masker.maskText(text), text, `cleared by the pre-check but masked: ${JSON.stringify(text)}`);
  }
}

/** Pieces where detectors start, and near misses of them, to be glued at random. */
const PIECES = [
  'password',
  'pass',
  'PassWord',
  'pwd',
  'secret',
  'api_key',
  'apikey',
  'token',
  'auth',
  'oauth',
  'session',
  'cookie',
  'Set-Cookie',
  'Authorization',
  'credentials',
  'db.password',
  'password.hint',
  'sig',
  'otp',
  'pin',
  'x-internal-ticket',
  'private_key',
  'aws_secret_access_key',
  'bearer ',
  'Bearer ',
  'basic ',
  'BASIC ',
  'dXNlcjpwYXNz',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
  'eyJ',
  'AKIAIOSFODNN7EXAMPLE',
  'AKIA',
  'ghp_',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'sk_live_',
  'xoxb-',
  'SK',
  'hooks.slack.com/',
  '4111',
  '4111111111111111',
  '4111 1111 1111 1111',
  '3782-822463-10005',
  '5555',
  '12345',
  '2026-11-23',
  '-----BEGIN',
  '-----BEGIN RSA PRIVATE KEY-----',
  'postgres://',
  'u:pw@',
  'jane@example.com',
  '@',
  '.com',
  '://',
  '=',
  ':',
  ': ',
  '=>',
  '>',
  '<',
  '"',
  "'",
  '\\',
  '\\"',
  ' ',
  '\t',
  ',',
  ';',
  '{',
  '}',
  '[',
  ']',
  '-',
  '_',
  '.',
  '/',
  '?',
  '&',
  'a',
  'x',
  '0',
  '7',
  'é',
  '€',
  '[MASKED:token]',
];

const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((parts) => parts.join(''));
const word = fc.array(fc.constantFrom(...PIECES.filter((p) => /^[\w .:@/-]+$/.test(p))), { maxLength: 4 });
const jsonLine = fc
  .dictionary(
    word.map((parts) => parts.join('')),
    fc.oneof(
      word.map((parts) => parts.join('')),
      fc.integer(),
      fc.constant(4111111111111111),
    ),
    { maxKeys: 6 },
  )
  .map((record) => JSON.stringify(record));

describe('the masking pre-check (Masker.mayMask)', () => {
  for (const [name, masker] of maskers) {
    it(`never clears a text masking changes: random text, ${name}`, () => {
      fc.assert(
        fc.property(text, (t) => checkNeverMissed(masker, t)),
        { numRuns: 3000 },
      );
    });

    it(`never clears a text masking changes: random JSON lines, ${name}`, () => {
      fc.assert(
        fc.property(jsonLine, (t) => checkNeverMissed(masker, t)),
        { numRuns: 1500 },
      );
    });

    it(`never clears a corpus case (nor any of its JSON-quoted or cut forms), ${name}`, () => {
      for (const c of corpus) {
        for (const form of [c.input, JSON.stringify({ msg: c.input }), c.input.replaceAll('\n', ' ')]) {
          checkNeverMissed(masker, form);
          for (let cut = 1; cut < form.length; cut += 7) checkNeverMissed(masker, form.slice(cut));
        }
      }
    });
  }

  it('clears ordinary lines, which is what it is for', () => {
    const masker = createMasker();
    const lines = [
      '{"ts":"2026-11-24T00:00:00.006Z","level":"info","logger":"cache","msg":"POST /healthz/A-883593 200 110ms","seq":2,"http":{"method":"POST","status":200,"duration_ms":110},"user_id":"u-33593"}',
      'level=warn ts=2026-11-23T12:00:01.456Z msg="stock below threshold" item=88231 remaining=3',
      '2026-11-23 12:00:00 INFO request handled in 12 ms',
    ];
    for (const line of lines)
      assert.equal(masker.mayMask(Buffer.from(line), 0, line.length, line), false, line);
  });

  it('says maybe for every corpus case with a secret, for bytes that are not printable ASCII, and with user rules', () => {
    const masker = createMasker();
    for (const c of corpus.filter((k) => k.secrets.length > 0)) {
      const bytes = Buffer.from(c.input);
      assert.equal(masker.mayMask(bytes, 0, bytes.length, c.input), true, c.name);
    }
    for (const odd of ['caf\u00e9 ok', 'tab\there', 'nul\u0000', 'del\u007f']) {
      const bytes = Buffer.from(odd);
      assert.equal(masker.mayMask(bytes, 0, bytes.length, odd), true, JSON.stringify(odd));
    }
    const withRules = createMasker({ rules: [{ name: 'ticket', pattern: 'T-\\d+' }] });
    assert.equal(withRules.mayMask(Buffer.from('ok'), 0, 2, 'ok'), true);
  });

  it('clears everything when no detector is on, and still looks when only extra keys are', () => {
    const none = createMasker({ builtin: [] });
    const keysOnly = createMasker({ builtin: [], keys: ['pin'] });
    for (const t of ['password=hunter2', 'caf\u00e9', 'pin=1234']) {
      const bytes = Buffer.from(t);
      assert.equal(none.mayMask(bytes, 0, bytes.length, t), false, t);
    }
    assert.equal(keysOnly.mayMask(Buffer.from('pin=1234'), 0, 8, 'pin=1234'), true);
    assert.equal(keysOnly.maskText('pin=1234'), 'pin=[MASKED:secret]');
  });

  it('looks only at bytes [start, end) of a larger buffer', () => {
    const masker = createMasker();
    const line = 'user=bob';
    const bytes = Buffer.from(`password=hunter2\n${line}\njane@example.com`);
    const start = bytes.indexOf(line);
    assert.equal(masker.mayMask(bytes, start, start + line.length, line), false);
  });
});
