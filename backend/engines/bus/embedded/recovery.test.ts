import assert from 'node:assert/strict';
import {
  appendFile,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BusRecord, ConsumedRecord } from '../../../../core/ports/bus.ts';
import { PartitionLog } from './partitionLog.ts';
import { readPartition } from './partitionReader.ts';
import { segmentFileName } from './segment.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function openPartition(dir: string, clean: boolean, segmentBytes = 64 * 1024 * 1024) {
  return PartitionLog.open({
    dir,
    topic: 't',
    partition: 0,
    fsync: 'always',
    segmentBytes,
    cleanShutdown: clean,
  });
}

function recs(from: number, n: number): BusRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    key: 'k',
    value: Buffer.from(`${from + i}`.padEnd(120, '~')),
  }));
}

const seq = (r: ConsumedRecord) => Number.parseInt(Buffer.from(r.value).toString('utf8'), 10);

/** A closed partition holding records 0..n-1 in a single segment. */
async function writtenLog(n: number): Promise<{ dir: string; logFile: string; indexFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-recovery-'));
  dirs.push(dir);
  const { log } = await openPartition(dir, true);
  for (let i = 0; i < n; i += 50) await log.append(recs(i, Math.min(50, n - i)));
  await log.close();
  return {
    dir,
    logFile: join(dir, segmentFileName(0, 'log')),
    indexFile: join(dir, segmentFileName(0, 'index')),
  };
}

async function readAll(log: PartitionLog): Promise<number[]> {
  const out: number[] = [];
  let offset = log.startOffset;
  while (offset < log.endOffset) {
    const { records } = await readPartition(log, offset, { maxRecords: 1000, maxBytes: 1 << 20 });
    out.push(...records.map(seq));
    offset = Number(records[records.length - 1].offset) + 1;
  }
  return out;
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('partition recovery', () => {
  it('cuts a record torn in the middle and keeps every record before it', async () => {
    const { dir, logFile } = await writtenLog(200);
    const { size } = await stat(logFile);
    await truncate(logFile, size - 40);
    const { log, notes } = await openPartition(dir, false);
    assert.equal(log.endOffset, 199);
    assert.deepEqual(await readAll(log), upTo(199));
    assert.equal(notes.length, 1);
    assert.equal((await stat(logFile)).size, size - 40 - (size / 200 - 40));
    await log.append(recs(199, 3));
    assert.equal(log.endOffset, 202);
    assert.deepEqual(await readAll(log), upTo(202));
    await log.close();
  });

  it('drops garbage after the last record, also on a clean open', async () => {
    const { dir, logFile } = await writtenLog(120);
    const { size } = await stat(logFile);
    await appendFile(logFile, Buffer.from('\x00\x00\x01\x00garbage that is not a frame'));
    const { log, notes } = await openPartition(dir, true);
    assert.equal(notes[0]?.truncatedBytes, 31);
    assert.equal((await stat(logFile)).size, size);
    assert.deepEqual(await readAll(log), upTo(120));
    await log.close();
  });

  it('after an unclean shutdown, scans the whole last segment and cuts at a damaged record', async () => {
    const { dir, logFile } = await writtenLog(300);
    const frameBytes = (await stat(logFile)).size / 300;
    const handle = await open(logFile, 'r+');
    // Damage record 100, well before the index's last entry, where a tail-only check would not look.
    await handle.write(Buffer.from('XX'), 0, 2, 100 * frameBytes + 60);
    await handle.close();
    const { log, notes } = await openPartition(dir, false);
    assert.equal(notes.length, 1);
    assert.equal(log.endOffset, 100);
    assert.deepEqual(await readAll(log), upTo(100));
    await log.close();
  });

  it('rebuilds a missing index so seeks work again', async () => {
    const { dir, indexFile } = await writtenLog(500);
    const original = (await stat(indexFile)).size;
    assert.ok(original >= 16);
    await rm(indexFile);
    const { log } = await openPartition(dir, true);
    assert.equal((await stat(indexFile)).size, original);
    const { records } = await readPartition(log, 444, { maxRecords: 1, maxBytes: 65536 });
    assert.deepEqual(records.map(seq), [444]);
    await log.close();
  });

  it('extends a short index and replaces entries that point past the log', async () => {
    const { dir, indexFile } = await writtenLog(500);
    const original = (await stat(indexFile)).size;
    await truncate(indexFile, 8);
    const first = await openPartition(dir, true);
    await first.log.close();
    assert.equal((await stat(indexFile)).size, original);
    // An entry claiming a position beyond the log (an index written ahead of a lost log write).
    const bogus = Buffer.alloc(8);
    bogus.writeUInt32BE(9999, 0);
    bogus.writeUInt32BE(10_000_000, 4);
    await appendFile(indexFile, bogus);
    const { log } = await openPartition(dir, true);
    assert.equal((await stat(indexFile)).size, original);
    assert.deepEqual(await readAll(log), upTo(500));
    await log.close();
  });

  it('recovers a torn tail in the newest of several segments, leaving sealed ones intact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-recovery-'));
    dirs.push(dir);
    const { log: writer } = await openPartition(dir, true, 8192);
    for (let i = 0; i < 400; i += 20) await writer.append(recs(i, 20));
    await writer.close();
    const logs = (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();
    assert.ok(logs.length > 3);
    const last = join(dir, logs[logs.length - 1]);
    await truncate(last, (await stat(last)).size - 7);
    const { log, notes } = await openPartition(dir, false, 8192);
    assert.equal(notes.length, 1);
    assert.equal(notes[0].file, last);
    assert.equal(log.endOffset, 399);
    assert.deepEqual(await readAll(log), upTo(399));
    await log.close();
  });

  it('opens a cleanly closed log without touching its index, and seeks through it afterwards', async () => {
    const { dir, indexFile } = await writtenLog(500);
    const before = await readFile(indexFile);
    const { log, notes } = await openPartition(dir, true);
    assert.deepEqual(notes, []);
    assert.equal(log.endOffset, 500);
    const { records } = await readPartition(log, 321, { maxRecords: 2, maxBytes: 65536 });
    assert.deepEqual(records.map(seq), [321, 322]);
    await log.append(recs(500, 100));
    await log.close();
    const after = await readFile(indexFile);
    assert.deepEqual(after.subarray(0, before.byteLength), before);
    assert.ok(after.byteLength > before.byteLength, 'new entries appended after the existing ones');
    const reopened = await openPartition(dir, false);
    assert.deepEqual(await readAll(reopened.log), upTo(600));
    await reopened.log.close();
  });

  it('removes an orphan index and leftover temp files', async () => {
    const { dir } = await writtenLog(10);
    await writeFile(join(dir, segmentFileName(5000, 'index')), Buffer.alloc(16));
    await writeFile(join(dir, 'something.tmp'), 'x');
    const { log } = await openPartition(dir, true);
    assert.deepEqual((await readdir(dir)).sort(), [segmentFileName(0, 'index'), segmentFileName(0, 'log')]);
    await log.close();
  });
});
