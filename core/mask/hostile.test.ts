import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMasker } from './masker.ts';

const MB = 1 << 20;
const masker = createMasker({ rules: [{ name: 'ssn', pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' }] });

describe('hostile input', () => {
  // Each would take minutes (or forever) with backtracking regular expressions or rescans from every
  // position; the test finishing at all is the assertion that the scan is linear.
  const unchanged = [
    '='.repeat(MB),
    ':'.repeat(MB),
    '1'.repeat(MB),
    '4111 '.repeat(MB / 5),
    '@'.repeat(MB),
    'a@'.repeat(MB / 2),
    'eyJa.'.repeat(MB / 5),
    '-----BEGIN '.repeat(MB / 11),
    'a=b '.repeat(MB / 4),
    '"'.repeat(MB),
    '\\'.repeat(MB),
    'x://'.repeat(MB / 4),
    '{"a":'.repeat(MB / 5),
    'Bearer '.repeat(MB / 7),
  ];
  for (const text of unchanged) {
    it(`leaves 1 MB of ${JSON.stringify(text.slice(0, 12))}… unchanged`, () => {
      assert.equal(masker.maskText(text), text);
    });
  }

  it('masks 1 MB cookie headers of many pairs in linear time', () => {
    assert.ok(masker.maskText(`Cookie: ${'a;'.repeat(MB / 2)}`).startsWith('Cookie: [MASKED:token];'));
    assert.ok(
      masker.maskText(`Set-Cookie: ${'x=1; '.repeat(MB / 5)}`).startsWith('Set-Cookie: x=[MASKED:token];'),
    );
    assert.ok(masker.maskText(`cookie="${';'.repeat(MB)}x=1"`).endsWith('x=[MASKED:token]"'));
  });

  it('masks everything after an unterminated quoted password, however long', () => {
    const out = masker.maskText(`password="${'x'.repeat(MB)}`);
    assert.equal(out, 'password="[MASKED:password]');
  });

  it('masks each of many secrets on one 1 MB line', () => {
    const out = masker.maskText('password=p token="t" '.repeat(MB / 21));
    assert.equal(out, 'password=[MASKED:password] token="[MASKED:token]" '.repeat(MB / 21));
  });

  it('masks many private key blocks that have no END line, each to the end of its JSON string', () => {
    const out = masker.maskText('-----BEGIN PRIVATE KEY-----x"'.repeat(MB / 29));
    assert.equal(out, '-----BEGIN PRIVATE KEY-----[MASKED:private_key]"'.repeat(MB / 29));
  });

  it('survives invalid UTF-8, lone surrogates and NUL bytes', () => {
    const garbage = new TextDecoder().decode(
      new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80]),
    );
    const text = `${garbage} password=\u0000s3cr\ud800et\u0000 \udc00 user=bob ${garbage}`;
    const out = masker.maskText(text);
    assert.ok(!out.includes('s3cr'));
    assert.ok(out.includes('password=[MASKED:password] \udc00 user=bob'));
    assert.ok(out.startsWith(garbage) && out.endsWith(garbage));
  });

  it('masks an address next to non-ASCII text', () => {
    assert.equal(masker.maskText('Grüße an jane@example.com — danke'), 'Grüße an [MASKED:email] — danke');
  });

  it('masks the empty string to itself', () => {
    assert.equal(masker.maskText(''), '');
  });
});
