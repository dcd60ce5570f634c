import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCheckpointMetadata, decodeProducedThrough, encodeCheckpointMetadata } from './checkpoint.ts';

describe('checkpoint metadata', () => {
  it('round-trips the clocks, including a clock that has seen nothing yet', () => {
    for (const checkpoint of [
      { offset: 41n, clock: 1795428185000, emittedThrough: 1795428270000 },
      { offset: null, clock: -Infinity, emittedThrough: -Infinity },
      { offset: 7n, clock: -1500, emittedThrough: 0 },
    ]) {
      const metadata = encodeCheckpointMetadata(checkpoint);
      assert.ok(metadata.length < 64, 'fits easily in Kafka offset-commit metadata');
      assert.deepEqual(decodeCheckpointMetadata(checkpoint.offset, metadata), checkpoint);
    }
  });

  it('answers undefined for metadata it did not write, so the engine starts fresh', () => {
    for (const metadata of [null, undefined, '', 'w1 12', 'w2 1 2', 'w1 1 x', 'w1 1e5 2', 'w1 1 2 3 4']) {
      assert.equal(decodeCheckpointMetadata(5n, metadata), undefined, String(metadata));
    }
  });

  it('carries the last offset already produced downstream beside the clocks', () => {
    const checkpoint = { offset: 41n, clock: 1795428185000, emittedThrough: 1795428270000 };
    const metadata = encodeCheckpointMetadata(checkpoint, 99n);
    assert.deepEqual(decodeCheckpointMetadata(41n, metadata), checkpoint);
    assert.equal(decodeProducedThrough(metadata), 99n);
    assert.equal(decodeProducedThrough(encodeCheckpointMetadata(checkpoint)), undefined, 'older commits');
    assert.equal(decodeProducedThrough('w1 1 2 x'), undefined);
  });
});
