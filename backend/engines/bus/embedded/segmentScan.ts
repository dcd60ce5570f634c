/**
 * Walks the frames of a segment file in order, validating each (length, version, CRC, and that offsets
 * are consecutive), and reports where the valid frames end. Recovery uses it to find a torn tail and to
 * rebuild an index; it reads in large chunks and allocates nothing per frame.
 */
import {
  CORRUPT,
  claimedFrameBytes,
  FRAME_HEADER_BYTES,
  frameEnd,
  frameOffset,
  frameTimestamp,
  INCOMPLETE,
} from './recordFormat.ts';
import type { Segment } from './segment.ts';

const CHUNK_BYTES = 1024 * 1024;

export interface ScanResult {
  /** Byte position just after the last valid frame. */
  validEnd: number;
  /** Offset the next frame would have had. */
  nextOffset: number;
  lastTimestamp: number | undefined;
  /** Why the scan stopped before fileSize: a frame cut short by the end of file, or bad bytes. */
  stop: 'end' | 'torn' | 'corrupt';
  reason?: string;
}

export type FrameVisitor = (offset: number, position: number, timestamp: number) => void;

export async function scanFrames(
  segment: Segment,
  fromPosition: number,
  expectedOffset: number,
  fileSize: number,
  visit: FrameVisitor,
): Promise<ScanResult> {
  let pos = fromPosition;
  let offset = expectedOffset;
  let lastTimestamp: number | undefined;
  let want = CHUNK_BYTES;
  while (pos < fileSize) {
    const chunk = await segment.readAt(pos, Math.min(want, fileSize - pos));
    const atEof = pos + chunk.byteLength >= fileSize;
    let p = 0;
    while (p < chunk.byteLength) {
      const end = frameEnd(chunk, p, chunk.byteLength);
      if (end === INCOMPLETE) break;
      const at = pos + p;
      if (end === CORRUPT)
        return stopAt(at, offset, lastTimestamp, 'corrupt', 'bad length, version or checksum');
      if (frameOffset(chunk, p) !== offset) {
        return stopAt(
          at,
          offset,
          lastTimestamp,
          'corrupt',
          `expected offset ${offset}, found ${frameOffset(chunk, p)}`,
        );
      }
      lastTimestamp = frameTimestamp(chunk, p);
      visit(offset, at, lastTimestamp);
      offset++;
      p = end;
    }
    if (p < chunk.byteLength && atEof)
      return stopAt(pos + p, offset, lastTimestamp, 'torn', 'file ends inside a frame');
    if (p === 0) {
      // One frame larger than the chunk: read again with room for it (frameEnd capped its claimed size).
      want =
        chunk.byteLength >= FRAME_HEADER_BYTES ? Math.max(CHUNK_BYTES, claimedFrameBytes(chunk, 0)) : want;
      if (chunk.byteLength < FRAME_HEADER_BYTES)
        return stopAt(pos, offset, lastTimestamp, 'torn', 'short read');
      continue;
    }
    want = CHUNK_BYTES;
    pos += p;
  }
  return { validEnd: pos, nextOffset: offset, lastTimestamp, stop: 'end' };
}

function stopAt(
  validEnd: number,
  nextOffset: number,
  lastTimestamp: number | undefined,
  stop: 'torn' | 'corrupt',
  reason: string,
): ScanResult {
  return { validEnd, nextOffset, lastTimestamp, stop, reason };
}
