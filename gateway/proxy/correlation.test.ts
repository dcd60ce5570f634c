import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlationIdFor, parseTraceparent } from './correlation.ts';

describe('correlationIdFor', () => {
  it('keeps a valid incoming id', () => {
    assert.deepEqual(correlationIdFor('0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90'), {
      id: '0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90',
      minted: false,
    });
    assert.equal(correlationIdFor('req_42.a:b').id, 'req_42.a:b');
  });

  it('mints a UUIDv7 when the header is missing, too long or carries unsafe characters', () => {
    for (const bad of [
      null,
      '',
      'x'.repeat(129),
      'a\r\nSet-Cookie: x=1',
      '<script>',
      'a b',
      '../etc',
      '-leading',
    ]) {
      const r = correlationIdFor(bad);
      assert.equal(r.minted, true, String(bad));
      assert.match(r.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe('parseTraceparent', () => {
  it('takes trace and parent ids from a W3C traceparent', () => {
    assert.deepEqual(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    });
  });

  it('ignores malformed, all-zero and version ff headers', () => {
    assert.equal(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'), null);
    assert.equal(parseTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`), null);
    assert.equal(parseTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), null);
    assert.equal(parseTraceparent(null), null);
  });
});
