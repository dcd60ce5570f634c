import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../../core/event/types.ts';
import { cursorPosition } from '../../../sinks/search/cursor.ts';
import { fastPage, fastSize, idTiebreak, searchAfter, sortSpec } from './sortKey.ts';

const at = (id: string, ts: string) => ({ id, ts }) as LogEvent;
const ids = (hits: LogEvent[] | null) => hits?.map((h) => h.id) ?? null;
/** A tiebreak where every id collides: only time orders. */
const colliding = () => 1;

describe('OpenSearch sort key', () => {
  it('hashes ids to non-negative integers below 2^53, the same every time, spread out', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const value = idTiebreak(`01a2084b-4c72-7179-b1c6-${String(i).padStart(12, '0')}`);
      assert.ok(Number.isSafeInteger(value) && value >= 0, `${value}`);
      seen.add(value);
    }
    assert.equal(seen.size, 100_000, 'no collision among 100k similar ids');
    assert.equal(idTiebreak('évent-🙂'), idTiebreak('évent-🙂'));
    assert.notEqual(idTiebreak('a'), idTiebreak('b'));
    assert.ok(idTiebreak('x'.repeat(512)) > 2 ** 32, 'uses the high bits too');
  });

  it('sorts by time and tiebreak, adding the id only for the exact order', () => {
    assert.deepEqual(sortSpec('desc', false), [
      { 'search.ts': { order: 'desc' } },
      { 'search.tiebreak': { order: 'desc', unmapped_type: 'long' } },
    ]);
    assert.deepEqual(sortSpec('asc', true).at(-1), { id: { order: 'asc' } });
  });

  it('starts a fast page at the cursor key inclusive, an exact page strictly after it', () => {
    const after = cursorPosition({ ts: '2026-11-24T10:00:00.5+01:00', id: 'e-1' });
    const key = idTiebreak('e-1');
    assert.deepEqual(searchAfter(after, 'desc', false), ['2026-11-24T09:00:00.500Z', key + 1]);
    assert.deepEqual(searchAfter(after, 'asc', false), ['2026-11-24T09:00:00.500Z', key - 1]);
    assert.deepEqual(searchAfter(after, 'desc', true), ['2026-11-24T09:00:00.500Z', key, 'e-1']);
    assert.equal(fastSize(50, undefined), 51);
    assert.equal(fastSize(50, after), 52);
  });

  it('takes a first page with distinct keys as it is', () => {
    const hits = [
      at('a', '2026-01-01T00:00:03Z'),
      at('b', '2026-01-01T00:00:02Z'),
      at('c', '2026-01-01T00:00:01Z'),
    ];
    assert.deepEqual(ids(fastPage(hits, undefined, 2, colliding)), ['a', 'b', 'c']);
    assert.deepEqual(ids(fastPage(hits.slice(0, 2), undefined, 2, colliding)), ['a', 'b']);
  });

  it('asks for the exact order when two events of the page share a key', () => {
    const hits = [
      at('a', '2026-01-01T00:00:03Z'),
      at('b', '2026-01-01T00:00:02Z'),
      at('c', '2026-01-01T00:00:02Z'),
    ];
    assert.equal(fastPage(hits, undefined, 2, colliding), null);
    assert.equal(fastPage(hits, undefined, 3, colliding), null);
    assert.deepEqual(ids(fastPage(hits, undefined, 1, colliding)), ['a', 'b']);
    // Distinct tiebreaks tell the same times apart.
    assert.deepEqual(ids(fastPage(hits, undefined, 2)), ['a', 'b', 'c']);
    assert.deepEqual(ids(fastPage(hits, undefined, 0, colliding)), ['a']);
  });

  it('drops the cursor event, and asks for the exact order when another event shares its key', () => {
    const after = cursorPosition({ ts: '2026-01-01T00:00:03Z', id: 'a' });
    const next = [at('b', '2026-01-01T00:00:02Z'), at('c', '2026-01-01T00:00:01Z')];
    assert.deepEqual(ids(fastPage([at('a', '2026-01-01T00:00:03Z'), ...next], after, 2, colliding)), [
      'b',
      'c',
    ]);
    // The cursor's event is gone (retention): what follows is still right.
    assert.deepEqual(ids(fastPage(next, after, 2, colliding)), ['b', 'c']);
    // Another event with the cursor's key, with or without the cursor's own.
    assert.equal(fastPage([at('z', '2026-01-01T00:00:03Z'), ...next], after, 2, colliding), null);
    assert.equal(
      fastPage(
        [at('a', '2026-01-01T00:00:03Z'), at('z', '2026-01-01T00:00:03Z'), ...next],
        after,
        2,
        colliding,
      ),
      null,
    );
    // With real hashes 'z' does not share the key of 'a'.
    assert.deepEqual(
      ids(fastPage([at('a', '2026-01-01T00:00:03Z'), at('z', '2026-01-01T00:00:03Z'), ...next], after, 3)),
      ['z', 'b', 'c'],
    );
  });
});
