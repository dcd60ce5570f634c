import type { WindowKind } from './types.ts';

/**
 * A window shape: windows `[k·hop, k·hop + size)` for every integer k, aligned to the Unix epoch so every
 * worker and every restart cuts time at the same places. Tumbling windows are the case hop = size.
 */
export interface WindowShape {
  sizeMs: number;
  hopMs: number;
}

/** Flink-style sliding windows without an explicit hop advance in tenths of their size. */
const SLIDING_STEPS_PER_WINDOW = 10;
/** Above this, one event would update too many windows to keep the hot path fast. */
export const MAX_WINDOWS_PER_EVENT = 60;

export class WindowShapeError extends Error {
  readonly code = 'window_shape_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'WindowShapeError';
  }
}

export function windowShape(kind: WindowKind, sizeMs: number, hopMs?: number): WindowShape {
  if (!Number.isSafeInteger(sizeMs) || sizeMs <= 0) {
    throw new WindowShapeError(`window size must be a whole number of ms above 0, got ${sizeMs}`);
  }
  let hop: number;
  if (kind === 'tumbling') {
    if (hopMs !== undefined && hopMs !== sizeMs) {
      throw new WindowShapeError('tumbling windows take no hop; use kind: hopping for overlapping windows');
    }
    hop = sizeMs;
  } else if (hopMs !== undefined) {
    hop = hopMs;
  } else if (kind === 'sliding') {
    hop = Math.max(1, Math.round(sizeMs / SLIDING_STEPS_PER_WINDOW));
  } else {
    throw new WindowShapeError('hopping windows need a hop (how often a new window starts)');
  }
  if (!Number.isSafeInteger(hop) || hop <= 0 || hop > sizeMs) {
    throw new WindowShapeError(
      `hop must be a whole number of ms between 1 and the size (${sizeMs}), got ${hop}`,
    );
  }
  if (Math.ceil(sizeMs / hop) > MAX_WINDOWS_PER_EVENT) {
    throw new WindowShapeError(
      `size/hop is ${Math.ceil(sizeMs / hop)}: each event would update that many windows; ` +
        `keep it at most ${MAX_WINDOWS_PER_EVENT} (raise the hop)`,
    );
  }
  return { sizeMs, hopMs: hop };
}

/** Start of the latest window holding `ts`; earlier ones start every hop back while start > ts - size. */
export function lastWindowStart(ts: number, hopMs: number): number {
  return Math.floor(ts / hopMs) * hopMs;
}

/** Every window start holding `ts`, latest first. The engine inlines this loop; tests use this form. */
export function windowStarts(ts: number, shape: WindowShape): number[] {
  const starts: number[] = [];
  for (let start = lastWindowStart(ts, shape.hopMs); start > ts - shape.sizeMs; start -= shape.hopMs) {
    starts.push(start);
  }
  return starts;
}
