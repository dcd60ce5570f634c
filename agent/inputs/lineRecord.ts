import { uuidFromName } from '../../core/ids/uuidv7.ts';

/**
 * One line as an input delivers it. `offset`/`next` are exact byte positions in the source (the file, or
 * the bytes read from stdin since start), whatever the encoding of the text, so the pair identifies the
 * line for checkpoints and for its event id.
 */
export interface LineRecord {
  /**
   * The path the line was read from, or `stdin`: the file's latest name matching `paths` (a file rotated
   * out of the patterns keeps the name it had when it was last matched).
   */
  source: string;
  /** Identity of the file generation the offsets refer to (see fingerprint.ts); stable across restarts. */
  fileId: string;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte offset just after the line, its `\n` included: where the next line starts. */
  next: number;
  /** The line without its `\n` / `\r\n`; invalid UTF-8 is replaced by U+FFFD. */
  text: string;
  /** Set when the line was longer than `max_line_bytes`: `text` holds its first bytes only. */
  truncated: { originalBytes: number } | undefined;
  /** True when the line was emitted without its newline (partial-line timeout, end of stream, file closed). */
  partial: boolean;
  /**
   * The bytes `text` was decoded from, `bytes[start, end)`, when the line is one range of one read: a
   * pipeline may write them out without the string. Only valid while the line is being handed over
   * (the reader reuses its buffer for the next read); undefined for lines joined, cut or made otherwise.
   */
  bytes: Uint8Array | undefined;
  start: number;
  end: number;
}

/**
 * Receives lines in order, one batch at a time. The input does not read more until the promise settles:
 * that is its backpressure, so a full spool stops the reading instead of filling memory.
 */
export type OnLines = (lines: LineRecord[]) => Promise<void>;

export function lineRecord(
  source: string,
  fileId: string,
  offset: number,
  next: number,
  text: string,
  truncated: { originalBytes: number } | undefined,
  partial: boolean,
  bytes?: Uint8Array,
  start = 0,
  end = 0,
): LineRecord {
  // Every record gets every key, in one order, so they all share one hidden class on the hot path.
  return { source, fileId, offset, next, text, truncated, partial, bytes, start, end };
}

/**
 * The event id of a line: deterministic, so a line re-read after a crash carries the id it was first
 * sent with and stores drop the duplicate. `scope` should name the host: file ids hold device and inode
 * numbers, which only mean something on one machine.
 */
export function lineEventId(scope: string, line: Pick<LineRecord, 'fileId' | 'offset'>): string {
  return uuidFromName(`${scope}\u0000${line.fileId}\u0000${line.offset}`);
}
