import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createMasker } from './masker.ts';

const masker = createMasker();

const name = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9_]{1,11}$/)
  .filter((n) => !/^(path|domain|expires|max_age|samesite|priority|httponly|secure|partitioned)$/i.test(n));
/** Cookie values long and odd enough never to occur by chance elsewhere in the text. */
const value = fc.stringMatching(/^[A-Za-z0-9]{6,16}$/).map((v) => `v${v}Z`);
const attributes = fc.subarray([
  'Path=/',
  'Domain=shop.example.com',
  'Expires=Wed, 21 Oct 2026 07:28:00 GMT',
  'Max-Age=3600',
  'HttpOnly',
  'Secure',
  'SameSite=Lax',
]);
const cookies = fc.uniqueArray(fc.tuple(name, value), {
  minLength: 1,
  maxLength: 5,
  selector: ([n]) => n.toLowerCase(),
});

/** Where a header shows up in logs: a header line, inside a message, JSON, logfmt. */
const contexts: Array<(header: 'Cookie' | 'Set-Cookie', v: string) => string> = [
  (h, v) => `${h}: ${v}`,
  (h, v) => `GET /cart ${h}: ${v}`,
  (h, v) => JSON.stringify({ msg: 'proxied', headers: { [h.toLowerCase()]: v } }),
  (h, v) => `${h.toLowerCase()}="${v}" status=200`,
];

describe('Cookie and Set-Cookie headers: only cookie values are masked', () => {
  it('masks every value of a Cookie header and keeps every name (random headers, every context)', () => {
    fc.assert(
      fc.property(cookies, fc.nat(contexts.length - 1), (pairs, k) => {
        const text = contexts[k]('Cookie', pairs.map(([n, v]) => `${n}=${v}`).join('; '));
        const out = masker.maskText(text);
        for (const [n, v] of pairs) {
          assert.ok(!out.includes(v), `${v} survived in ${out}`);
          assert.ok(out.includes(`${n}=[MASKED:token]`), `${n} lost in ${out}`);
        }
        assert.equal(masker.maskText(out), out);
      }),
    );
  });

  it('masks the cookie of a Set-Cookie header and keeps its attributes', () => {
    fc.assert(
      fc.property(name, value, attributes, fc.nat(contexts.length - 1), (n, v, attrs, k) => {
        const text = contexts[k]('Set-Cookie', [`${n}=${v}`, ...attrs].join('; '));
        const out = masker.maskText(text);
        assert.ok(!out.includes(v), `${v} survived in ${out}`);
        assert.ok(out.includes(`${n}=[MASKED:token]`), `${n} lost in ${out}`);
        for (const attr of attrs) assert.ok(out.includes(attr), `${attr} lost in ${out}`);
        assert.equal(masker.maskText(out), out);
      }),
    );
  });

  it('does the same for attributes named like the header, and masks other values under such keys whole', () => {
    const masked = masker.maskEvent({
      id: '1',
      ts: '2026-11-23T12:00:00.123Z',
      observed_ts: '2026-11-23T12:00:00.123Z',
      level: 'info',
      service: 'web',
      tenant: 't',
      message: 'm',
      attrs: {
        'http.request.header.cookie': 'sid=abc123xyz; theme=dark',
        'http.response.header.set-cookie': 'sid=abc123xyz; Path=/; HttpOnly; SameSite=Lax',
        session_cookie: 'opaque123',
        cookie: 4111,
      },
    });
    assert.deepEqual(masked.attrs, {
      'http.request.header.cookie': 'sid=[MASKED:token]; theme=[MASKED:token]',
      'http.response.header.set-cookie': 'sid=[MASKED:token]; Path=/; HttpOnly; SameSite=Lax',
      session_cookie: '[MASKED:token]',
      cookie: '[MASKED:token]',
    });
  });

  it('masks a pair without a name, and an unknown pair after a Set-Cookie cookie', () => {
    assert.equal(masker.maskText('Cookie: opaquevalue123'), 'Cookie: [MASKED:token]');
    assert.equal(
      masker.maskText('Set-Cookie: a=1x2y3z; other=secretish; Secure'),
      'Set-Cookie: a=[MASKED:token]; other=[MASKED:token]; Secure',
    );
  });
});
