import type { LogEvent } from '../../core/event/types.ts';

/**
 * One event ready to leave the machine: its JSON (serialized once, upstream, after masking) and the
 * source bytes it came from. `[offset, next)` is what the input may checkpoint once the gateway has the
 * event: for a multi-line event, from its first line's offset to its last line's `next`.
 */
export interface ShipRecord {
  /** The event as one line of JSON, without the trailing newline. */
  json: string;
  /** The file generation (or stdin run) the bytes belong to; also decides the lane, so order per file holds. */
  fileId: string;
  offset: number;
  next: number;
}

/**
 * Many events already serialized and encoded as NDJSON (by an edge worker thread), with the source bytes
 * each came from. Handed over as one block so the shipper copies bytes instead of encoding strings, and
 * so a thread can transfer it without copying.
 */
export interface EncodedRecords {
  /** Record `i` is `bytes[ends[i - 1] ?? 0, ends[i])`: its JSON and its `\n`. */
  bytes: Uint8Array;
  ends: Uint32Array;
  /** `[offset, next)` of record `i` at `ranges[2i]`, `ranges[2i + 1]`. */
  ranges: Float64Array;
  /** Records `[runEnds[k - 1] ?? 0, runEnds[k])` belong to `fileIds[k]`. */
  fileIds: string[];
  runEnds: Uint32Array;
}

/** Bytes `[offset, next)` of `fileId` that the gateway acknowledged; the shape of FileInput.ack(). */
export interface AckRange {
  fileId: string;
  offset: number;
  next: number;
}

/** Called when the gateway acknowledged every event of these ranges. */
export type OnAcked = (ranges: readonly AckRange[]) => void;

/** A ShipRecord for an event read from `[offset, next)` of `fileId`. */
export function shipRecord(event: LogEvent, fileId: string, offset: number, next: number): ShipRecord {
  // Every record gets every key, in one order, so they share one hidden class on the hot path.
  return { json: JSON.stringify(event), fileId, offset, next };
}
