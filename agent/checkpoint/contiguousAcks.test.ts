import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContiguousAcks } from './contiguousAcks.ts';

describe('contiguous acks', () => {
  it('advances only over the acknowledged prefix when acks arrive out of order', () => {
    const acks = new ContiguousAcks(0);
    // Three batches in flight: [0,100) [100,250) [250,400); the last two are acknowledged first.
    assert.equal(acks.ack(250, 400), false);
    assert.equal(acks.committed, 0);
    assert.equal(acks.ack(100, 250), false);
    assert.equal(acks.committed, 0);
    assert.equal(acks.waitingRanges, 1, 'the two later ranges merged while waiting');
    assert.equal(acks.ack(0, 100), true);
    assert.equal(acks.committed, 400);
    assert.equal(acks.waitingRanges, 0);
  });

  it('keeps a gap open until exactly that gap is acknowledged', () => {
    const acks = new ContiguousAcks(1000);
    acks.ack(1000, 1010);
    acks.ack(1020, 1030);
    acks.ack(1040, 1050);
    assert.equal(acks.committed, 1010);
    acks.ack(1030, 1040);
    assert.equal(acks.committed, 1010, 'the gap [1010,1020) is still open');
    acks.ack(1010, 1020);
    assert.equal(acks.committed, 1050);
  });

  it('ignores acknowledgements of what is already committed or empty', () => {
    const acks = new ContiguousAcks(500);
    assert.equal(acks.ack(0, 100), false);
    assert.equal(acks.ack(600, 600), false);
    assert.equal(acks.committed, 500);
    assert.equal(acks.waitingRanges, 0);
  });

  it('equals the acknowledged prefix after every ack, for many orders of the same ranges', () => {
    const starts: number[] = [];
    for (let at = 0; at < 2000; at += 100) starts.push(at);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let round = 0; round < 50; round++) {
      const order = starts
        .map((at) => [random(), at])
        .sort((a, b) => a[0] - b[0])
        .map(([, at]) => at);
      const acks = new ContiguousAcks(0);
      const acked = new Set<number>();
      for (const at of order) {
        acks.ack(at, at + 100);
        acked.add(at);
        let prefix = 0;
        while (acked.has(prefix)) prefix += 100;
        assert.equal(acks.committed, prefix);
      }
      assert.equal(acks.committed, 2000);
    }
  });
});
