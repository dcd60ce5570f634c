/**
 * Reading a partition from an offset: find the segment, seek with its sparse index (or continue from the
 * cursor the previous read returned, which is the common case for a consumer following the tail), read
 * one chunk and decode the frames in it. Only acknowledged records (below endOffset) are returned.
 */
import type { ConsumedRecord } from '../../../../core/ports/bus.ts';
import { CorruptSegmentError, OffsetOutOfRangeError } from './errors.ts';
import type { PartitionLog } from './partitionLog.ts';
import {
  CORRUPT,
  claimedFrameBytes,
  decodeRecord,
  FRAME_HEADER_BYTES,
  frameEnd,
  frameOffset,
  INCOMPLETE,
} from './recordFormat.ts';
import type { Segment } from './segment.ts';

/** Where the record at `offset` starts, so the next read needs no index lookup. */
export interface ReadCursor {
  offset: number;
  segment: Segment;
  position: number;
}

export interface ReadLimits {
  maxRecords: number;
  /** Bytes read per call; a single larger record is still returned whole. */
  maxBytes: number;
}

export interface ReadResult {
  records: ConsumedRecord[];
  cursor: ReadCursor | undefined;
}

/**
 * Records from `offset` on, up to the limits; empty when `offset` is the end of the log.
 * Throws OffsetOutOfRangeError below the log start (retention deleted it) or beyond the end.
 */
export async function readPartition(
  log: PartitionLog,
  offset: number,
  limits: ReadLimits,
  cursor?: ReadCursor,
): Promise<ReadResult> {
  const end = log.endOffset;
  if (offset < log.startOffset || offset > end) throw new OffsetOutOfRangeError(offset, log.startOffset, end);
  if (offset === end) return { records: [], cursor };
  let segment: Segment | undefined;
  let position: number;
  try {
    if (cursor !== undefined && cursor.offset === offset && !cursor.segment.deleted) {
      segment = cursor.segment;
      position = cursor.position;
    } else {
      segment = log.segmentFor(offset)!;
      position = (await segment.loadIndex()).lookup(offset - segment.baseOffset).position;
    }
    while (segment !== undefined) {
      const limit = log.readableBytes(segment);
      if (position < limit) {
        const result = await readSegment(log, segment, position, limit, offset, end, limits);
        if (result.records.length > 0 || result.cursor === undefined) return result;
        position = result.cursor.position;
        if (position < limit) continue;
      }
      // Past this segment's end: go on in the next (which also skips a gap left by a truncated segment).
      segment = log.segmentAfter(segment);
      position = 0;
    }
  } catch (err) {
    // Retention removed the segment under us: report it like any read below the log start.
    if (segment?.deleted) throw new OffsetOutOfRangeError(offset, log.startOffset, log.endOffset);
    throw err;
  }
  return { records: [], cursor: undefined };
}

async function readSegment(
  log: PartitionLog,
  segment: Segment,
  position: number,
  limit: number,
  target: number,
  end: number,
  limits: ReadLimits,
): Promise<ReadResult> {
  let want = Math.min(limit - position, limits.maxBytes);
  for (;;) {
    const chunk = await segment.readAt(position, want);
    const records: ConsumedRecord[] = [];
    let p = 0;
    let next = -1;
    while (p < chunk.byteLength && records.length < limits.maxRecords) {
      const frame = frameEnd(chunk, p, chunk.byteLength);
      if (frame === INCOMPLETE) break;
      if (frame === CORRUPT)
        throw new CorruptSegmentError(segment.logPath, position + p, 'bad length or checksum');
      const offset = frameOffset(chunk, p);
      if (offset >= end) break;
      if (offset >= target) records.push(decodeRecord(chunk, p, log.topic, log.partition));
      next = offset + 1;
      p = frame;
    }
    if (
      p === 0 &&
      chunk.byteLength >= FRAME_HEADER_BYTES &&
      frameEnd(chunk, 0, chunk.byteLength) === INCOMPLETE
    ) {
      // The next record alone is larger than maxBytes: read exactly that one frame.
      want = Math.min(claimedFrameBytes(chunk, 0), limit - position);
      if (want > chunk.byteLength) continue;
    }
    return { records, cursor: next < 0 ? undefined : { offset: next, segment, position: position + p } };
  }
}
