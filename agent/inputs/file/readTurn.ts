import type { LineRecord } from '../lineRecord.ts';
import type { FileInputContext } from './fileInputContext.ts';
import { FileInputError } from './fileInputError.ts';
import type { FileReader } from './fileReader.ts';
import { headMatches, headOf, readHead } from './fingerprint.ts';
import { identify, restartGeneration, retire } from './generations.ts';
import { partialLineDue, rotatedFileDone, wasTruncated } from './rotation.ts';

/** Bytes one file may read per turn before the others get theirs: a busy file cannot starve the rest. */
const TURN_BUDGET_BYTES = 4 * 1024 * 1024;

/**
 * One pass over the open files, reading what each has. Rotated-away and deleted files go first and are
 * read to their end without a budget: the rest of a rotated file is read before its successor.
 * Returns whether any file had new bytes (the loop then goes again at once instead of sleeping).
 */
export async function readTurn(ctx: FileInputContext): Promise<boolean> {
  let busy = false;
  const readers = [...ctx.readers.values()];
  for (const orphans of [true, false]) {
    for (const reader of readers) {
      if (!ctx.running) return busy;
      if ((reader.orphanedSince !== undefined) !== orphans || !ctx.readers.has(reader.key)) continue;
      if (await readFile(ctx, reader)) busy = true;
    }
  }
  return busy;
}

async function readFile(ctx: FileInputContext, reader: FileReader): Promise<boolean> {
  const now = ctx.options.now();
  let size: number;
  try {
    const st = await reader.handle.stat();
    size = st.size;
    if (st.nlink === 0 && !reader.deleted) {
      // Deleted while open: still readable through our descriptor, which keeps its bytes alive.
      reader.deleted = true;
      reader.orphanedSince ??= now;
    }
  } catch (error) {
    await closeReader(ctx, reader, error);
    return false;
  }
  if (wasTruncated(reader.offset, size)) {
    const out: LineRecord[] = [];
    await restartGeneration(ctx, reader, 'truncated', out);
    await emit(ctx, reader, out);
  } else {
    await checkHead(ctx, reader, size);
  }
  const budget = reader.orphanedSince !== undefined ? Number.POSITIVE_INFINITY : TURN_BUDGET_BYTES;
  let total = 0;
  while (total < budget && ctx.running) {
    let length: number;
    try {
      length = await reader.read(ctx.scratch);
    } catch (error) {
      await closeReader(ctx, reader, error);
      return total > 0;
    }
    if (length === 0) break;
    if (reader.fileId === undefined && mayName(ctx, reader, length)) await identify(ctx, reader, false);
    const out: LineRecord[] = [];
    reader.consume(ctx.scratch, length, now, out);
    if (out.length > 0 && reader.fileId === undefined) {
      // Only if the file changed under us between the read and naming it: name it by what it has now.
      await identify(ctx, reader, true);
      for (const line of out) line.fileId = reader.fileId ?? '';
    }
    total += length;
    ctx.stats.bytesRead += length;
    await emit(ctx, reader, out);
    if (reader.atEnd) break;
  }
  if (total === 0) await whenIdle(ctx, reader, now);
  return total > 0;
}

/**
 * Checks, before reading new bytes, that the file still starts with the bytes we fingerprinted: a file
 * truncated and rewritten past our offset between two polls looks merely grown by its size alone, and
 * reading on at the old offset would deliver the middle of the new content. Costs one read of
 * fingerprint_bytes per turn in which the file grew.
 * While the head is shorter than fingerprint_bytes it is extended here (the growing fingerprint).
 */
async function checkHead(ctx: FileInputContext, reader: FileReader, size: number): Promise<void> {
  if (size === reader.headCheckedAtSize || reader.offset === 0) return;
  const max = ctx.options.fingerprintBytes;
  const head = await readHead(reader.handle, max, max);
  if (!headMatches(reader.head, head)) {
    const out: LineRecord[] = [];
    await restartGeneration(ctx, reader, 'rewritten', out);
    await emit(ctx, reader, out);
    return;
  }
  reader.headCheckedAtSize = size;
  if (head.length > reader.head.len && reader.fileId !== undefined) {
    reader.head = headOf(head);
    const entry = ctx.options.checkpoints.get(reader.fileId);
    if (entry !== undefined) ctx.options.checkpoints.set(reader.fileId, { ...entry, head: reader.head });
  }
}

/** Whether the bytes just read complete the file's first line (or its first fingerprint_bytes). */
function mayName(ctx: FileInputContext, reader: FileReader, length: number): boolean {
  const limit = ctx.options.fingerprintBytes;
  return reader.offset + length >= limit || ctx.scratch.subarray(0, length).includes(10);
}

/** Nothing new in the file: time out its open line, close it if it was rotated away and is done. */
async function whenIdle(ctx: FileInputContext, reader: FileReader, now: number): Promise<void> {
  const options = ctx.options;
  if (reader.lines.hasOpenLine && partialLineDue(reader.lastGrowthAt, now, options.partialLineTimeoutMs)) {
    await identify(ctx, reader, true);
    const out: LineRecord[] = [];
    reader.flushOpenLine(out);
    await emit(ctx, reader, out);
  }
  if (rotatedFileDone(reader, reader.atEnd, now, options.rotateWaitMs)) await closeReader(ctx, reader);
}

/**
 * Closes a file. Rotated-away and deleted files are done: their open line is emitted (never dropped),
 * and a deleted file's id is retired (its inode may be reused). After a read error the open line is
 * kept for later instead: the file is reopened at the next scan and read again from that line's start.
 */
export async function closeReader(ctx: FileInputContext, reader: FileReader, error?: unknown): Promise<void> {
  let resumeAt = reader.offset;
  if (error === undefined) {
    if (reader.lines.hasOpenLine) {
      await identify(ctx, reader, true);
      const out: LineRecord[] = [];
      reader.flushOpenLine(out);
      await emit(ctx, reader, out);
    }
  } else {
    if (reader.lines.hasOpenLine) resumeAt = reader.lines.openLineStart;
    const problem = new FileInputError('read_failed', reader.path, (error as Error).message);
    ctx.logger?.warn(problem.message, { code: problem.code, path: reader.path });
  }
  ctx.readers.delete(reader.key);
  ctx.closedAt.set(reader.key, ctx.options.now());
  await reader.handle.close().catch(() => undefined); // nothing left to do with it either way
  if (reader.fileId === undefined) return;
  ctx.readUpTo.set(reader.fileId, resumeAt);
  if (reader.deleted && error === undefined) retire(ctx, reader.fileId);
}

/** Hands lines to the consumer and waits for it: the wait is the input's backpressure. */
export async function emit(ctx: FileInputContext, reader: FileReader, out: LineRecord[]): Promise<void> {
  if (out.length === 0) return;
  ctx.stats.lines += out.length;
  for (const line of out) {
    if (line.truncated !== undefined) ctx.stats.truncatedLines++;
    if (line.partial) ctx.stats.partialLines++;
  }
  if (reader.fileId !== undefined) ctx.readUpTo.set(reader.fileId, out[out.length - 1].next);
  await ctx.options.onLines(out);
}
