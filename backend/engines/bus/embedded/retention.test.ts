import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OffsetOutOfRangeError } from './errors.ts';
import { PartitionLog } from './partitionLog.ts';
import { readPartition } from './partitionReader.ts';
import { activeSegmentDue, expiredSegmentCount, type SegmentFacts } from './retention.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const seg = (size: number, firstTimestamp: number, lastTimestamp: number): SegmentFacts => ({
  size,
  firstTimestamp,
  lastTimestamp,
});

describe('retention policy', () => {
  const segments = [seg(100, 0, 10), seg(100, 11, 20), seg(100, 21, 30), seg(50, 31, 40)];

  it('deletes the oldest segments whose newest record is past maxAgeMs', () => {
    assert.equal(expiredSegmentCount(segments, { maxAgeMs: 15 }, 40), 2);
    assert.equal(expiredSegmentCount(segments, { maxAgeMs: 100 }, 40), 0);
  });

  it('deletes the oldest segments while the partition is over maxBytes', () => {
    assert.equal(expiredSegmentCount(segments, { maxBytes: 250 }, 40), 1);
    assert.equal(expiredSegmentCount(segments, { maxBytes: 150 }, 40), 2);
  });

  it('never deletes the active segment', () => {
    assert.equal(expiredSegmentCount(segments, { maxAgeMs: 1, maxBytes: 1 }, 1_000), 3);
    assert.equal(expiredSegmentCount([seg(999, 0, 0)], { maxAgeMs: 1, maxBytes: 1 }, 1_000), 0);
  });

  it('keeps everything without a policy', () => {
    assert.equal(expiredSegmentCount(segments, {}, 1_000_000), 0);
  });

  it('rolls an active segment once its oldest record is past maxAgeMs', () => {
    assert.equal(activeSegmentDue(seg(10, 5, 50), { maxAgeMs: 20 }, 30), true);
    assert.equal(activeSegmentDue(seg(10, 5, 50), { maxAgeMs: 20 }, 20), false);
    assert.equal(activeSegmentDue(seg(0, 5, 5), { maxAgeMs: 1 }, 100), false);
  });
});

describe('retention on a partition', () => {
  async function filledLog() {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-retention-'));
    dirs.push(dir);
    const { log } = await PartitionLog.open({
      dir,
      topic: 't',
      partition: 0,
      fsync: 'never',
      segmentBytes: 4096,
      cleanShutdown: true,
    });
    const value = Buffer.alloc(200, 'v');
    for (let i = 0; i < 40; i++) await log.append(Array.from({ length: 5 }, () => ({ key: 'k', value })));
    return { log, dir };
  }
  const logFiles = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.log'));

  it('deletes whole old segments by size, moves the log start, and reads below it fail as out of range', async () => {
    const { log, dir } = await filledLog();
    const before = (await logFiles(dir)).length;
    const deleted = await log.applyRetention({ maxBytes: 3 * 4096 }, Date.now());
    assert.ok(deleted > 0);
    assert.equal((await logFiles(dir)).length, before - deleted);
    assert.ok(log.startOffset > 0);
    assert.equal(log.endOffset, 200);
    await assert.rejects(readPartition(log, 0, { maxRecords: 1, maxBytes: 4096 }), OffsetOutOfRangeError);
    const { records } = await readPartition(log, log.startOffset, { maxRecords: 1, maxBytes: 4096 });
    assert.equal(Number(records[0].offset), log.startOffset);
    await log.close();
  });

  it('deletes by age every sealed segment, and rolls the active one so its records expire too', async () => {
    const { log, dir } = await filledLog();
    const later = Date.now() + 60_000;
    const deleted = await log.applyRetention({ maxAgeMs: 1000 }, later);
    assert.equal(deleted, log.stats.rolls, 'every sealed segment, including the one just rolled');
    assert.deepEqual(await logFiles(dir), [`${String(200).padStart(20, '0')}.log`]);
    assert.equal(log.startOffset, 200);
    assert.equal(log.endOffset, 200);
    await log.append([{ key: 'k', value: Buffer.from('after') }]);
    assert.equal(log.endOffset, 201);
    await log.close();
  });
});
