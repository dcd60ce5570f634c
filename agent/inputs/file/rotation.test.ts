import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import type { CheckpointEntry } from '../../checkpoint/checkpointStore.ts';
import { headOf } from './fingerprint.ts';
import { decideStart, partialLineDue, rotatedFileDone, wasTruncated } from './rotation.ts';

const content = Buffer.from('2026-01-01T00:00:00Z first line\n2026-01-01T00:00:01Z second line\n');
const known = (over: Partial<CheckpointEntry> = {}): CheckpointEntry => ({
  path: '/var/log/app.log',
  dev: 1,
  ino: 100,
  birthtimeMs: 5000,
  head: headOf(content),
  offset: 32,
  updatedAt: 1,
  ...over,
});
const onDisk = { dev: 1, ino: 100, birthtimeMs: 5000, size: content.length };

describe('rotation decisions', () => {
  it('resumes a known file at its checkpoint, under any name', () => {
    assert.deepEqual(decideStart(onDisk, content, [['f1', known({ path: '/var/log/app.log.1' })]]), {
      kind: 'resume',
      fileId: 'f1',
      offset: 32,
    });
  });

  it('restarts a known file from 0 when it is shorter than the checkpoint (truncated)', () => {
    const truncated = content.subarray(0, 20);
    const decision = decideStart({ ...onDisk, size: 20 }, truncated, [
      ['f1', known({ head: headOf(truncated) })],
    ]);
    assert.deepEqual(decision, { kind: 'restart', replaces: 'f1', reason: 'truncated' });
  });

  it('restarts a known file from 0 when its first bytes changed (rewritten past the checkpoint)', () => {
    const rewritten = Buffer.from('2026-02-02T00:00:00Z another first line, longer than before\n');
    assert.deepEqual(decideStart({ ...onDisk, size: rewritten.length }, rewritten, [['f1', known()]]), {
      kind: 'restart',
      replaces: 'f1',
      reason: 'rewritten',
    });
  });

  it('treats a reused inode with another birth time as a new file, not as the old one resumed', () => {
    assert.deepEqual(decideStart({ ...onDisk, birthtimeMs: 9000 }, content, [['f1', known()]]), {
      kind: 'new',
    });
  });

  it('never resumes a retired generation, even with the same inode and head', () => {
    assert.deepEqual(decideStart(onDisk, content, [['f1', known({ retired: true })]]), { kind: 'new' });
  });

  it('treats an unknown inode as new', () => {
    assert.deepEqual(decideStart({ ...onDisk, ino: 101 }, content, [['f1', known()]]), { kind: 'new' });
  });

  it('detects truncation only when the file is shorter than what was read', () => {
    assert.equal(wasTruncated(100, 99), true);
    assert.equal(wasTruncated(100, 100), false);
  });

  it('closes a rotated file only at its end and after rotate_wait without growth', () => {
    const state = { orphanedSince: 1000, lastGrowthAt: 1500 };
    assert.equal(rotatedFileDone(state, true, 6400, 5000), false, 'grew 4.9 s ago');
    assert.equal(rotatedFileDone(state, true, 6500, 5000), true);
    assert.equal(rotatedFileDone(state, false, 9999, 5000), false, 'not at its end');
    assert.equal(rotatedFileDone({ orphanedSince: undefined, lastGrowthAt: 0 }, true, 9999, 5000), false);
  });

  it('times an open line out after partial_line_timeout without growth', () => {
    assert.equal(partialLineDue(1000, 1999, 1000), false);
    assert.equal(partialLineDue(1000, 2000, 1000), true);
  });
});
