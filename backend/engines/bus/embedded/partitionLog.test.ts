import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BusRecord, ConsumedRecord } from '../../../../core/ports/bus.ts';
import { RecordTooLargeError } from './errors.ts';
import { type FsyncPolicy, PartitionLog } from './partitionLog.ts';
import { readPartition } from './partitionReader.ts';
import { MAX_FRAME_BYTES } from './recordFormat.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function openLog(
  options: { dir?: string; segmentBytes?: number; fsync?: FsyncPolicy; clean?: boolean } = {},
) {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'sluice-partition-')));
  dirs.push(dir);
  const { log } = await PartitionLog.open({
    dir,
    topic: 't',
    partition: 0,
    fsync: options.fsync ?? 'always',
    segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
    cleanShutdown: options.clean ?? true,
  });
  return { log, dir };
}

function recs(from: number, n: number, valueBytes = 100): BusRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    key: 'k',
    value: Buffer.from(String(from + i).padEnd(valueBytes, '.')),
  }));
}

const seq = (r: ConsumedRecord) => Number.parseInt(Buffer.from(r.value).toString('utf8'), 10);

async function readAll(log: PartitionLog, from = log.startOffset): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  let offset = from;
  let cursor: Awaited<ReturnType<typeof readPartition>>['cursor'];
  while (offset < log.endOffset) {
    const result = await readPartition(log, offset, { maxRecords: 37, maxBytes: 8192 }, cursor);
    assert.ok(result.records.length > 0, `progress at offset ${offset}`);
    out.push(...result.records);
    offset = Number(result.records[result.records.length - 1].offset) + 1;
    cursor = result.cursor;
  }
  return out;
}

describe('partition log', () => {
  it('assigns consecutive offsets and reads them back across segment rolls', async () => {
    const { log, dir } = await openLog({ segmentBytes: 4096 });
    for (let b = 0; b < 30; b++) await log.append(recs(b * 20, 20));
    assert.equal(log.endOffset, 600);
    assert.ok(log.stats.rolls > 5, `rolled ${log.stats.rolls} times`);
    assert.ok((await readdir(dir)).filter((n) => n.endsWith('.log')).length > 5);
    const all = await readAll(log);
    assert.deepEqual(
      all.map((r) => Number(r.offset)),
      Array.from({ length: 600 }, (_, i) => i),
    );
    assert.deepEqual(
      all.map(seq),
      Array.from({ length: 600 }, (_, i) => i),
    );
    await log.close();
  });

  it('seeks to any offset through the sparse index', async () => {
    const { log } = await openLog({ segmentBytes: 256 * 1024 });
    for (let b = 0; b < 10; b++) await log.append(recs(b * 500, 500));
    for (const target of [0, 1, 777, 2048, 4999]) {
      const { records } = await readPartition(log, target, { maxRecords: 3, maxBytes: 65536 });
      assert.deepEqual(
        records.map(seq),
        [target, target + 1, target + 2].filter((n) => n < 5000),
      );
    }
    await log.close();
  });

  it('resolves many concurrent appends with far fewer fsyncs, keeping each append contiguous', async () => {
    const { log } = await openLog();
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(recs(i * 10, 10))));
    assert.equal(log.endOffset, 500);
    assert.ok(log.stats.fsyncs < 50, `${log.stats.fsyncs} fsyncs for 50 appends`);
    const values = (await readAll(log)).map(seq);
    for (let i = 0; i < 500; i += 10) {
      assert.deepEqual(
        values.slice(i, i + 10),
        Array.from({ length: 10 }, (_, j) => values[i] + j),
      );
    }
    assert.deepEqual(
      [...values].sort((a, b) => a - b),
      Array.from({ length: 500 }, (_, i) => i),
    );
    await log.close();
  });

  it('shows readers only records whose append has resolved', async () => {
    const { log } = await openLog();
    const appending = log.append(recs(0, 5));
    assert.equal(log.endOffset, 0);
    assert.deepEqual((await readPartition(log, 0, { maxRecords: 10, maxBytes: 65536 })).records, []);
    await appending;
    assert.equal(log.endOffset, 5);
    assert.equal((await readPartition(log, 0, { maxRecords: 10, maxBytes: 65536 })).records.length, 5);
    await log.close();
  });

  it('wakes a reader waiting for the next offset when records arrive', async () => {
    const { log } = await openLog();
    let woke = false;
    const waiting = log.waitForData(0, new AbortController().signal).then(() => {
      woke = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(woke, false);
    await log.append(recs(0, 1));
    await waiting;
    assert.equal(woke, true);
    await log.close();
  });

  it('rejects only the append whose record is too large', async () => {
    const { log } = await openLog();
    const big = log.append([{ key: 'k', value: new Uint8Array(MAX_FRAME_BYTES) }]);
    const small = log.append(recs(0, 3));
    await assert.rejects(big, RecordTooLargeError);
    await small;
    assert.equal(log.endOffset, 3);
    await log.close();
  });

  it('returns a record larger than the fetch size whole', async () => {
    const { log } = await openLog();
    await log.append(recs(0, 1, 20_000));
    const { records } = await readPartition(log, 0, { maxRecords: 10, maxBytes: 1000 });
    assert.equal(records.length, 1);
    assert.equal(records[0].value.byteLength, 20_000);
    await log.close();
  });

  it('reopens with every record and continues at the next offset', async () => {
    for (const fsync of ['always', 'interval', 'never'] as const) {
      const first = await openLog({ segmentBytes: 4096, fsync });
      for (let b = 0; b < 10; b++) await first.log.append(recs(b * 20, 20));
      await first.log.close();
      const { log } = await openLog({ dir: first.dir, segmentBytes: 4096, fsync });
      assert.equal(log.endOffset, 200);
      await log.append(recs(200, 5));
      assert.deepEqual(
        (await readAll(log)).map(seq),
        Array.from({ length: 205 }, (_, i) => i),
        fsync,
      );
      await log.close();
    }
  });
});
