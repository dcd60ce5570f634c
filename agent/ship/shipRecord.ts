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
