import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher, type RawBatch } from './batcher.ts';
import type { ShipRecord } from './shipRecord.ts';

function record(fileId: string, offset: number, message = 'x'): ShipRecord {
  const json = JSON.stringify({ message, offset });
  return { json, fileId, offset, next: offset + 10 };
}

function lines(batch: RawBatch): string[] {
  const text = batch.body.toString('utf8');
  assert.ok(text.endsWith('\n'), 'every event line ends with a newline');
  return text.slice(0, -1).split('\n');
}

const HOUR = 3_600_000;

describe('Batcher', () => {
  it('closes a batch when it holds max_events events', () => {
    const batches: RawBatch[] = [];
    const batcher = new Batcher({ maxEvents: 3, maxBytes: 1 << 20, maxWaitMs: HOUR }, (b) => batches.push(b));
    for (let i = 0; i < 7; i++) batcher.push(record('f', i * 10));
    assert.deepEqual(
      batches.map((b) => b.events),
      [3, 3],
    );
    assert.equal(batcher.pending, 1);
    batcher.flush();
    assert.deepEqual(
      batches.map((b) => lines(b).map((l) => JSON.parse(l).offset)),
      [[0, 10, 20], [30, 40, 50], [60]],
    );
  });

  it('closes a batch before one more event would pass max_bytes', () => {
    const batches: RawBatch[] = [];
    const batcher = new Batcher({ maxEvents: 1000, maxBytes: 1024, maxWaitMs: HOUR }, (b) => batches.push(b));
    const big = 'y'.repeat(300);
    for (let i = 0; i < 10; i++) batcher.push(record('f', i * 10, big));
    batcher.flush();
    assert.ok(batches.length >= 3, `expected several batches, got ${batches.length}`);
    for (const b of batches)
      assert.ok(b.body.length <= 1024, `batch of ${b.body.length} bytes passes max_bytes`);
    assert.equal(
      batches.reduce((n, b) => n + b.events, 0),
      10,
    );
  });

  it('counts bytes as UTF-8, not as string length', () => {
    const batches: RawBatch[] = [];
    const batcher = new Batcher({ maxEvents: 1000, maxBytes: 1024, maxWaitMs: HOUR }, (b) => batches.push(b));
    // 200 three-byte characters: ~600 bytes each, so two do not fit in 1024 bytes.
    for (let i = 0; i < 4; i++) batcher.push(record('f', i * 10, '€'.repeat(200)));
    batcher.flush();
    assert.equal(batches.length, 4);
    assert.equal(JSON.parse(lines(batches[0])[0]).message, '€'.repeat(200));
  });

  it('sends an event larger than max_bytes in a batch of its own', () => {
    const batches: RawBatch[] = [];
    const batcher = new Batcher({ maxEvents: 1000, maxBytes: 1024, maxWaitMs: HOUR }, (b) => batches.push(b));
    batcher.push(record('f', 0));
    batcher.push(record('f', 10, 'z'.repeat(5000)));
    batcher.push(record('f', 20));
    batcher.flush();
    assert.deepEqual(
      batches.map((b) => b.events),
      [1, 1, 1],
    );
    assert.equal(JSON.parse(lines(batches[1])[0]).message.length, 5000);
  });

  it('closes a batch when its first event has waited max_wait', async () => {
    let resolve: (batch: RawBatch) => void = () => undefined;
    const closed = new Promise<RawBatch>((r) => {
      resolve = r;
    });
    const batcher = new Batcher({ maxEvents: 1000, maxBytes: 1 << 20, maxWaitMs: 20 }, resolve);
    batcher.push(record('f', 0));
    batcher.push(record('f', 10));
    const batch = await closed;
    assert.equal(batch.events, 2);
    assert.equal(batcher.pending, 0);
  });

  it('remembers the source bytes of its events as merged ranges per file', () => {
    const batches: RawBatch[] = [];
    const batcher = new Batcher({ maxEvents: 1000, maxBytes: 1 << 20, maxWaitMs: HOUR }, (b) =>
      batches.push(b),
    );
    batcher.push(record('a', 0));
    batcher.push(record('b', 100));
    batcher.push(record('a', 10));
    batcher.push(record('b', 110));
    batcher.push(record('a', 20));
    batcher.push(record('a', 50)); // bytes 30..50 were dropped upstream: a new range
    batcher.flush();
    assert.deepEqual(batches[0].acks, [
      { fileId: 'a', offset: 0, next: 30 },
      { fileId: 'b', offset: 100, next: 120 },
      { fileId: 'a', offset: 50, next: 60 },
    ]);
    assert.equal(batches[0].route, 'a');
  });

  it('keeps a closed batch intact while the next one fills', () => {
    const batches: RawBatch[] = [];
    const batcher = new Batcher({ maxEvents: 2, maxBytes: 1 << 20, maxWaitMs: HOUR }, (b) => batches.push(b));
    for (let i = 0; i < 6; i++) batcher.push(record('f', i * 10));
    assert.deepEqual(
      batches.map((b) => lines(b).map((l) => JSON.parse(l).offset)),
      [
        [0, 10],
        [20, 30],
        [40, 50],
      ],
    );
  });

  it('closes encoded blocks into the same batches, bytes and ranges as one event at a time', () => {
    const records: ShipRecord[] = [];
    for (let i = 0; i < 40; i++) {
      const message = i % 13 === 5 ? 'w'.repeat(1500) : i % 7 === 3 ? '€'.repeat(60) : `m${i}`;
      records.push(record(i % 3 === 0 ? 'b' : 'a', i * 10, message));
    }
    const limits = { maxEvents: 6, maxBytes: 1024, maxWaitMs: HOUR };
    const one: RawBatch[] = [];
    const byOne = new Batcher(limits, (b) => one.push(b));
    for (const r of records) byOne.push(r);
    byOne.flush();
    const blocks: RawBatch[] = [];
    const byBlock = new Batcher(limits, (b) => blocks.push(b));
    // Runs of one file, as an edge worker hands them over.
    let from = 0;
    for (let i = 1; i <= records.length; i++) {
      if (i === records.length || records[i].fileId !== records[from].fileId) {
        const block = encode(records.slice(from, i));
        byBlock.pushEncoded(block.bytes, block.ends, block.ranges, records[from].fileId, 0, i - from);
        from = i;
      }
    }
    byBlock.flush();
    const shape = (b: RawBatch) => [b.body.toString('utf8'), b.events, b.acks, b.route];
    assert.ok(one.length > 5, 'the limits closed several batches');
    assert.deepEqual(blocks.map(shape), one.map(shape));
  });

  it('reuses the memory of a released batch for a later one, and only then', () => {
    const batches: RawBatch[] = [];
    const batcher = new Batcher({ maxEvents: 2, maxBytes: 1 << 20, maxWaitMs: HOUR }, (b) => batches.push(b));
    for (let i = 0; i < 4; i++) batcher.push(record('f', i * 10));
    assert.notEqual(batches[1].body.buffer, batches[0].body.buffer, 'not released: a buffer of its own');
    batches[0].release();
    // The batch open now got its buffer when the last one closed; the one after takes the released one.
    for (let i = 4; i < 8; i++) batcher.push(record('f', i * 10));
    assert.notEqual(batches[2].body.buffer, batches[0].body.buffer);
    assert.equal(batches[3].body.buffer, batches[0].body.buffer);
    assert.deepEqual(
      lines(batches[3]).map((l) => JSON.parse(l).offset),
      [60, 70],
    );
  });
});

/** Records as one NDJSON block with their ends and ranges, the shape an edge worker sends. */
function encode(records: readonly ShipRecord[]): { bytes: Buffer; ends: Uint32Array; ranges: Float64Array } {
  const bytes = Buffer.from(records.map((r) => `${r.json}\n`).join(''));
  const ends = new Uint32Array(records.length);
  const ranges = new Float64Array(2 * records.length);
  let end = 0;
  records.forEach((r, i) => {
    end += Buffer.byteLength(r.json) + 1;
    ends[i] = end;
    ranges[2 * i] = r.offset;
    ranges[2 * i + 1] = r.next;
  });
  return { bytes, ends, ranges };
}
