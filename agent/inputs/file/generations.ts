import type { CheckpointEntry } from '../../checkpoint/checkpointStore.ts';
import { ContiguousAcks } from '../../checkpoint/contiguousAcks.ts';
import type { LineRecord } from '../lineRecord.ts';
import type { FileInputContext } from './fileInputContext.ts';
import type { FileReader } from './fileReader.ts';
import { fileIdBase, headOf, namingBytes, nextFileId, readHead } from './fingerprint.ts';

/**
 * Bookkeeping of file generations: naming a file once its first line is there, registering it with the
 * checkpoint store, and retiring the ids of files that are gone or were replaced.
 */

/**
 * Gives the reader its file id once the file's first line is complete (or, with `force`, from whatever
 * is there) and registers it. Returns whether the reader has an id now.
 */
export async function identify(ctx: FileInputContext, reader: FileReader, force: boolean): Promise<boolean> {
  if (reader.fileId !== undefined) return true;
  const max = ctx.options.fingerprintBytes;
  const head = await readHead(reader.handle, max, max);
  const naming = namingBytes(head, max, force);
  if (naming === undefined) return false;
  const used: string[] = [];
  for (const [fileId, entry] of ctx.options.checkpoints.entries()) {
    if (entry.dev === reader.dev && entry.ino === reader.ino) used.push(fileId);
  }
  reader.fileId = nextFileId(fileIdBase(reader, naming), used);
  reader.head = headOf(head);
  reader.headCheckedAtSize = head.length;
  register(ctx, reader, reader.fileId, reader.startOffset);
  return true;
}

/**
 * Records the reader's generation in the checkpoint store right away (not only after the first ack), so
 * a restart recognizes the file as known: a file found while running and read from 0 must not fall
 * under `start_at: end` after a crash, and a file started at its end must resume there.
 */
export function register(
  ctx: FileInputContext,
  reader: FileReader,
  fileId: string,
  ackedOffset: number,
): void {
  const store = ctx.options.checkpoints;
  let tracker = ctx.trackers.get(fileId);
  if (tracker === undefined) {
    tracker = new ContiguousAcks(ackedOffset);
    ctx.trackers.set(fileId, tracker);
  }
  store.set(fileId, entryFor(ctx, reader, tracker.committed));
  // One inode holds one file at a time: any other generation remembered for it is over.
  for (const [otherId, entry] of store.entries()) {
    if (
      otherId !== fileId &&
      entry.dev === reader.dev &&
      entry.ino === reader.ino &&
      entry.retired !== true
    ) {
      store.set(otherId, { ...entry, retired: true });
    }
  }
}

export function entryFor(ctx: FileInputContext, reader: FileReader, offset: number): CheckpointEntry {
  return {
    path: reader.path,
    dev: reader.dev,
    ino: reader.ino,
    birthtimeMs: reader.birthtimeMs,
    head: reader.head,
    offset,
    updatedAt: ctx.options.now(),
  };
}

/** Marks a generation as over; kept until the TTL so its id is not handed out again. */
export function retire(ctx: FileInputContext, fileId: string): void {
  const store = ctx.options.checkpoints;
  const entry = store.get(fileId);
  if (entry !== undefined && entry.retired !== true) store.set(fileId, { ...entry, retired: true });
}

/**
 * The bytes under the reader are no longer those it read (truncated, rewritten): emit its open line (it
 * belongs to the old content, which is gone), retire the old id, and read again from 0. The new
 * generation gets its id from its own first line.
 */
export async function restartGeneration(
  ctx: FileInputContext,
  reader: FileReader,
  reason: 'truncated' | 'rewritten',
  out: LineRecord[],
): Promise<void> {
  if (reader.lines.hasOpenLine) await identify(ctx, reader, true);
  reader.flushOpenLine(out);
  if (reader.fileId !== undefined) retire(ctx, reader.fileId);
  ctx.stats.restarts++;
  ctx.logger?.info(`file ${reason}; reading it again from the start`, {
    path: reader.path,
    file_id: reader.fileId,
  });
  reader.restartAtZero(ctx.options.now());
}
