import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { windowShape, windowStarts } from './windowShape.ts';

describe('window shapes', () => {
  it('puts each time in exactly one tumbling window, aligned to the epoch', () => {
    const shape = windowShape('tumbling', 60_000);
    assert.deepEqual(windowStarts(Date.UTC(2026, 0, 1, 10, 0, 59, 999), shape), [
      Date.UTC(2026, 0, 1, 10, 0),
    ]);
    assert.deepEqual(windowStarts(Date.UTC(2026, 0, 1, 10, 1), shape), [Date.UTC(2026, 0, 1, 10, 1)]);
    assert.deepEqual(windowStarts(-1, shape), [-60_000]);
  });

  it('puts each time in every hopping window [k·hop, k·hop + size) that holds it', () => {
    const shape = windowShape('hopping', 100, 30);
    for (let ts = -500; ts < 500; ts += 7) {
      const expected = [];
      for (let k = -40; k <= 40; k++) if (k * 30 <= ts && ts < k * 30 + 100) expected.push(k * 30);
      assert.deepEqual(
        [...windowStarts(ts, shape)].sort((a, b) => a - b),
        expected,
        `ts ${ts}`,
      );
    }
  });

  it('treats sliding windows as hopping ones, stepping a tenth of the size unless a hop is given', () => {
    assert.deepEqual(windowShape('sliding', 300_000), { sizeMs: 300_000, hopMs: 30_000 });
    assert.deepEqual(windowShape('sliding', 300_000, 60_000), { sizeMs: 300_000, hopMs: 60_000 });
  });

  it('rejects shapes that cannot be windowed', () => {
    assert.throws(() => windowShape('tumbling', 0), /size must be a whole number of ms above 0/);
    assert.throws(() => windowShape('tumbling', 60_000, 30_000), /tumbling windows take no hop/);
    assert.throws(
      () => windowShape('hopping', 60_000, 90_000),
      /hop must be a whole number of ms between 1 and the size/,
    );
  });
});
