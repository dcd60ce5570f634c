import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import { everInTop } from '../testing/reference.ts';
import { createCountByState, OTHER_VALUE } from './countBy.ts';

function emitted(state: ReturnType<typeof createCountByState>): Map<string, number> {
  const points = new Map<string, number>();
  state.emit((value, count) => points.set(value, count));
  return points;
}

describe('count_by', () => {
  it('reports the top N by count and sums the rest as __other__', () => {
    const state = createCountByState(2);
    for (const code of ['a', 'a', 'a', 'b', 'b', 'c']) state.add(code);
    assert.deepEqual(
      emitted(state),
      new Map([
        ['a', 3],
        ['b', 2],
        [OTHER_VALUE, 1],
      ]),
    );
  });

  it('keeps reporting a value that was in the top N earlier, so its published point is rewritten', () => {
    const state = createCountByState(1);
    state.add('early');
    const first = emitted(state);
    for (const code of ['late', 'late']) state.add(code);
    const final = emitted(state);
    assert.deepEqual(
      first,
      new Map([
        ['early', 1],
        [OTHER_VALUE, 0],
      ]),
    );
    assert.deepEqual(
      final,
      new Map([
        ['early', 1],
        ['late', 2],
        [OTHER_VALUE, 0],
      ]),
    );
    for (const key of first.keys()) assert.ok(final.has(key), `${key} is rewritten by the final publication`);
  });

  it('reports exactly the values that were in the top N after some prefix (ties: first seen)', () => {
    const random = mulberry32(3);
    for (let round = 0; round < 200; round++) {
      const top = 1 + Math.floor(random() * 4);
      const values = Array.from(
        { length: 1 + Math.floor(random() * 60) },
        () => `v${Math.floor(random() ** 2 * 9)}`,
      );
      const state = createCountByState(top);
      for (const value of values) state.add(value);
      const points = emitted(state);
      const named = [...points.keys()].filter((key) => key !== OTHER_VALUE);
      assert.deepEqual(new Set(named), everInTop(values, top), `round ${round}`);
      for (const value of named) assert.equal(points.get(value), values.filter((v) => v === value).length);
      assert.equal(
        [...points.values()].reduce((a, b) => a + b, 0),
        values.length,
        'points sum to the total',
      );
    }
  });

  it('counts values first seen after the distinct-value cap as other', () => {
    const state = createCountByState(5, 2);
    for (const code of ['a', 'b', 'c', 'c', 'a']) state.add(code);
    assert.deepEqual(
      emitted(state),
      new Map([
        ['a', 2],
        ['b', 1],
        [OTHER_VALUE, 2],
      ]),
    );
  });
});
