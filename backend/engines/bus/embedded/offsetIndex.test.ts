import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OffsetIndex } from './offsetIndex.ts';

function indexOf(entries: Array<[number, number]>): OffsetIndex {
  const index = new OffsetIndex(1);
  for (const [rel, pos] of entries) index.append(rel, pos);
  return index;
}

describe('offset index', () => {
  it('finds the nearest entry at or below an offset', () => {
    const index = indexOf([
      [10, 4100],
      [25, 8300],
      [40, 12500],
    ]);
    assert.deepEqual(index.lookup(0), { relativeOffset: 0, position: 0 });
    assert.deepEqual(index.lookup(9), { relativeOffset: 0, position: 0 });
    assert.deepEqual(index.lookup(10), { relativeOffset: 10, position: 4100 });
    assert.deepEqual(index.lookup(39), { relativeOffset: 25, position: 8300 });
    assert.deepEqual(index.lookup(1000), { relativeOffset: 40, position: 12500 });
  });

  it('survives an encode/parse round trip and grows past its initial capacity', () => {
    const entries = Array.from({ length: 300 }, (_, i): [number, number] => [i * 3 + 1, (i + 1) * 4096]);
    const parsed = OffsetIndex.parse(indexOf(entries).encode(), 10_000_000);
    assert.equal(parsed.length, 300);
    assert.deepEqual(parsed.lookup(3 * 150 + 1), { relativeOffset: 451, position: 151 * 4096 });
  });

  it('keeps only the well-formed prefix of a damaged index file', () => {
    const good = indexOf([
      [10, 4100],
      [25, 8300],
    ]).encode();
    const backwards = indexOf([[5, 2000]]).encode();
    const beyondLog = indexOf([[90, 999_999]]).encode();
    assert.equal(OffsetIndex.parse(Buffer.concat([good, backwards]), 100_000).length, 2);
    assert.equal(OffsetIndex.parse(Buffer.concat([good, beyondLog]), 100_000).length, 2);
    // A torn last entry (file length not a multiple of 8) is ignored.
    assert.equal(OffsetIndex.parse(Buffer.concat([good, Buffer.from([1, 2, 3])]), 100_000).length, 2);
    assert.equal(OffsetIndex.parse(new Uint8Array(0), 100).length, 0);
  });

  it('truncates to a given number of entries', () => {
    const index = indexOf([
      [10, 4100],
      [25, 8300],
    ]);
    index.truncate(1);
    assert.deepEqual(index.last(), { relativeOffset: 10, position: 4100 });
    assert.equal(index.encode().byteLength, 8);
  });
});
