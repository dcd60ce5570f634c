import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../random/mulberry32.ts';
import { parseTimestamp } from '../time/timestamp.ts';
import { countTerms } from './ast.ts';
import { randomEvent, randomQuery } from './random.ts';

describe('random generators', () => {
  it('mulberry32 is deterministic per seed and uniform-ish in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const values = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      Array.from({ length: 1000 }, () => b()),
      values,
    );
    assert.ok(values.every((v) => v >= 0 && v < 1));
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
    assert.notEqual(mulberry32(2)(), values[0]);
  });

  it('makes valid events with readable timestamps and the given id', () => {
    const rng = mulberry32(3);
    for (let i = 0; i < 200; i++) {
      const event = randomEvent(rng, i);
      assert.equal(event.id, `ev-${i}`);
      assert.doesNotThrow(() => parseTimestamp(event.ts));
    }
  });

  it('makes the same queries for the same seed, bounded by depth', () => {
    const first = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          randomQuery(rng, 2).text
      )(mulberry32(5)),
    );
    const second = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          randomQuery(rng, 2).text
      )(mulberry32(5)),
    );
    assert.deepEqual(second, first);
    const rng = mulberry32(6);
    for (let i = 0; i < 100; i++) assert.equal(countTerms(randomQuery(rng, 0).ast), 1);
  });
});
