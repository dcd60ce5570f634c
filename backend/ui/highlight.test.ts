import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, parseQuery } from '../../core/query/index.ts';

// The browser module under test: plain JavaScript, loaded by URL so TypeScript treats it as untyped.
const hl = await import(new URL('./public/highlight.js', import.meta.url).href);

const marks = (q: string, text: string) =>
  hl
    .markMatches(text, hl.highlightPatterns(q))
    .filter((p: unknown) => typeof p !== 'string')
    .map((p: { mark: string }) => p.mark);

describe('matched terms in a message', () => {
  it('marks whole tokens, case-insensitively, as the query language matches them', () => {
    assert.deepEqual(marks('timeout', 'Payment TIMEOUT; timeouts: timeout.'), ['TIMEOUT', 'timeout']);
    assert.deepEqual(marks('time*', 'timeout at runtime, Timer'), ['timeout', 'Timer']);
    assert.deepEqual(marks('"gateway timeout"', 'the gateway  timeout, gateway up, timeout'), [
      'gateway  timeout',
    ]);
    assert.deepEqual(marks('gate-way', 'gate way gate-way gateway'), ['gate way', 'gate-way']);
  });

  it('marks nothing for negated words, field terms and operators', () => {
    assert.deepEqual(marks('-timeout NOT error service:error AND OR', 'timeout error service AND OR'), []);
    assert.deepEqual(marks('NOT (a b) c', 'a b c'), ['c']);
    assert.deepEqual(marks('-"a b" c', 'a b c'), ['c']);
    assert.deepEqual(marks('message:"x y" z', 'x y z'), ['z']);
  });

  it('marks exactly where the query matches the message, for words the server matched', () => {
    const message = 'Payment gateway TIMEOUT after 3000 ms (gateway=pay-gw-1)';
    for (const q of ['timeout', 'gateway timeout', '"gateway timeout"', 'pay*', 'gw', '3000 ms']) {
      const event = { id: 'x', ts: '2026-11-23T12:00:00Z', level: 'info', message, attrs: {} } as never;
      assert.equal(evaluate(parseQuery(q), event), true, q);
      assert.ok(marks(q, message).length > 0, q);
    }
  });

  it('keeps every character exactly once, overlapping matches merged', () => {
    const text = 'aa bb aa bb cc';
    const parts = hl.markMatches(text, hl.highlightPatterns('"aa bb" "bb aa" cc'));
    assert.equal(
      parts.map((p: string | { mark: string }) => (typeof p === 'string' ? p : p.mark)).join(''),
      text,
    );
    assert.deepEqual(parts, [{ mark: 'aa bb aa bb' }, ' ', { mark: 'cc' }]);
    assert.deepEqual(hl.markMatches('', hl.highlightPatterns('x')), ['']);
  });
});
