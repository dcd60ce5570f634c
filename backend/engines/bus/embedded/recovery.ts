/**
 * Opening a partition directory after a clean or unclean shutdown. Every segment's tail is checked from
 * its last trusted index entry; after an unclean shutdown the newest segment is scanned whole, because
 * it is the only one that was written to without being sealed (fsynced) afterwards. A torn or corrupt tail
 * is truncated: with fsync 'always' it can only hold records whose produce() never resolved.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptSegmentError } from './errors.ts';
import { INDEX_INTERVAL_BYTES, OffsetIndex } from './offsetIndex.ts';
import {
  FRAME_HEADER_BYTES,
  frameEnd,
  frameOffset,
  frameTimestamp,
  MAX_FRAME_BYTES,
  MIN_FRAME_BYTES,
} from './recordFormat.ts';
import { parseSegmentFileName, Segment } from './segment.ts';
import { scanFrames } from './segmentScan.ts';

export interface RecoveryNote {
  file: string;
  truncatedBytes: number;
  reason: string;
}

/** How many index entries from the end may fail verification before the index is rebuilt from scratch. */
const MAX_BAD_INDEX_ENTRIES = 8;

/**
 * Lists, cleans and recovers the segments of one partition directory, oldest first. Removes leftovers of
 * interrupted operations: an index without its log (retention deletes the log first) and temp files.
 */
export async function recoverPartition(
  dir: string,
  options: { cleanShutdown: boolean },
): Promise<{ segments: Segment[]; notes: RecoveryNote[] }> {
  const names = await readdir(dir);
  const logs = new Set<number>();
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (parsed?.ext === 'log') logs.add(parsed.baseOffset);
  }
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    const orphan = parsed?.ext === 'index' && !logs.has(parsed.baseOffset);
    if (orphan || name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
  }
  const bases = [...logs].sort((a, b) => a - b);
  const segments: Segment[] = [];
  const notes: RecoveryNote[] = [];
  for (let i = 0; i < bases.length; i++) {
    const isLast = i === bases.length - 1;
    const { size } = await stat(join(dir, `${String(bases[i]).padStart(20, '0')}.log`));
    const segment = Segment.existing(dir, bases[i], size);
    const note = await recoverSegment(segment, size, isLast && !options.cleanShutdown ? 'full' : 'tail');
    if (note !== undefined) notes.push(note);
    const previous = segments[segments.length - 1];
    if (previous !== undefined && previous.nextOffset > segment.baseOffset) {
      throw new CorruptSegmentError(
        segment.logPath,
        0,
        `starts at offset ${segment.baseOffset} but the previous segment runs to ${previous.nextOffset}`,
      );
    }
    if (!isLast) await segment.release();
    segments.push(segment);
  }
  return { segments, notes };
}

/**
 * Establishes a segment's size, next offset, timestamps and index from its bytes, truncating anything
 * after the last valid frame. 'tail' trusts the index up to its last entry that points at a real frame;
 * 'full' trusts nothing and rebuilds the index.
 */
export async function recoverSegment(
  segment: Segment,
  fileSize: number,
  mode: 'tail' | 'full',
): Promise<RecoveryNote | undefined> {
  if (mode === 'tail' && (await intactTail(segment, fileSize))) return undefined;
  const index = mode === 'full' ? new OffsetIndex() : await segment.loadIndex();
  const start = await lastTrustedEntry(segment, index, fileSize);
  let lastIndexed = start.position;
  const scan = await scanFrames(
    segment,
    start.position,
    segment.baseOffset + start.relativeOffset,
    fileSize,
    (offset, position) => {
      if (position - lastIndexed >= INDEX_INTERVAL_BYTES) {
        index.append(offset - segment.baseOffset, position);
        lastIndexed = position;
      }
    },
  );
  let note: RecoveryNote | undefined;
  if (scan.validEnd < fileSize) {
    await segment.truncateLog(scan.validEnd);
    note = {
      file: segment.logPath,
      truncatedBytes: fileSize - scan.validEnd,
      reason: scan.reason ?? scan.stop,
    };
  }
  segment.size = scan.validEnd;
  segment.ackedSize = scan.validEnd;
  segment.nextOffset = scan.nextOffset;
  segment.lastTimestamp = scan.lastTimestamp;
  segment.firstTimestamp = scan.validEnd > 0 ? await firstTimestamp(segment) : undefined;
  await segment.adoptIndex(index, lastIndexed);
  return note;
}

/**
 * The common case after a clean shutdown, checked without loading the index (a few KiB read per segment,
 * however much the log retains): the index's last entry points at a valid frame, and from there the
 * frames run cleanly to the end of the file without passing a spot that should have been indexed. Any
 * doubt returns false and the caller takes the thorough path.
 */
async function intactTail(segment: Segment, fileSize: number): Promise<boolean> {
  const last = await segment.lastIndexEntry();
  if (last === null) return false;
  const start = last ?? { relativeOffset: 0, position: 0 };
  if (
    last !== undefined &&
    !(await frameAt(segment, last.position, fileSize, segment.baseOffset + last.relativeOffset))
  ) {
    return false;
  }
  let indexShort = false;
  const scan = await scanFrames(
    segment,
    start.position,
    segment.baseOffset + start.relativeOffset,
    fileSize,
    (_, position) => {
      if (position - start.position >= INDEX_INTERVAL_BYTES) indexShort = true;
    },
  );
  if (indexShort || scan.stop !== 'end') return false;
  segment.size = fileSize;
  segment.ackedSize = fileSize;
  segment.nextOffset = scan.nextOffset;
  segment.lastTimestamp = scan.lastTimestamp;
  segment.firstTimestamp = fileSize > 0 ? await firstTimestamp(segment) : undefined;
  return true;
}

async function lastTrustedEntry(
  segment: Segment,
  index: OffsetIndex,
  fileSize: number,
): Promise<{ relativeOffset: number; position: number }> {
  for (let tries = 0; index.length > 0; tries++) {
    if (tries === MAX_BAD_INDEX_ENTRIES) {
      index.truncate(0);
      break;
    }
    const entry = index.last()!;
    if (await frameAt(segment, entry.position, fileSize, segment.baseOffset + entry.relativeOffset))
      return entry;
    index.truncate(index.length - 1);
  }
  return { relativeOffset: 0, position: 0 };
}

/** True when a whole valid frame with the expected offset starts at `position`. */
async function frameAt(
  segment: Segment,
  position: number,
  fileSize: number,
  offset: number,
): Promise<boolean> {
  if (position + MIN_FRAME_BYTES > fileSize) return false;
  const head = await segment.readAt(position, FRAME_HEADER_BYTES);
  const claimed = head.readUInt32BE(0) + 4;
  if (claimed > MAX_FRAME_BYTES) return false;
  const length = Math.min(claimed, fileSize - position);
  const frame = await segment.readAt(position, length);
  const end = frameEnd(frame, 0, frame.byteLength);
  return end > 0 && frameOffset(frame, 0) === offset;
}

async function firstTimestamp(segment: Segment): Promise<number> {
  return frameTimestamp(await segment.readAt(0, MIN_FRAME_BYTES), 0);
}
