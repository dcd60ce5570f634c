import { Buffer } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import type { LineRecord } from '../lineRecord.ts';
import { LineSplitter } from '../lineSplitter.ts';
import { type FileIdentity, type Head, headOf } from './fingerprint.ts';

export interface FileReaderInit extends FileIdentity {
  path: string;
  handle: FileHandle;
  head: Head;
  /** Known when resuming; found from the first line otherwise (see fingerprint.ts). */
  fileId: string | undefined;
  offset: number;
  maxLineBytes: number;
  now: number;
}

/**
 * One open file: its descriptor, how far it was read, and the line still open at its end.
 *
 * Reading goes through the descriptor, never the name, so a file renamed or deleted while open keeps
 * being read to its end: that is how lines written just before (or after) a rotation are not lost.
 * Bytes are read into a buffer the caller owns and reuses (one per input, not one per file): an open
 * file costs its open line, not a read buffer.
 */
export class FileReader implements FileIdentity {
  path: string;
  readonly dev: number;
  readonly ino: number;
  readonly birthtimeMs: number;
  readonly handle: FileHandle;
  fileId: string | undefined;
  head: Head;
  /** Size seen when the head was last checked: the head is checked again only when the size changed. */
  headCheckedAtSize: number;
  /** Next byte to read. */
  offset: number;
  /** Where this generation's reading began: everything before it counts as acknowledged. */
  startOffset: number;
  readonly lines: LineSplitter;
  lastGrowthAt: number;
  orphanedSince: number | undefined = undefined;
  /** The last read returned fewer bytes than asked: the file was at its end then. */
  atEnd = false;
  /** fstat reported no link left: the file was deleted while open (it is still readable through us). */
  deleted = false;

  constructor(init: FileReaderInit) {
    this.path = init.path;
    this.dev = init.dev;
    this.ino = init.ino;
    this.birthtimeMs = init.birthtimeMs;
    this.handle = init.handle;
    this.fileId = init.fileId;
    this.head = init.head;
    this.headCheckedAtSize = init.head.len;
    this.offset = init.offset;
    this.startOffset = init.offset;
    this.lines = new LineSplitter(init.maxLineBytes);
    this.lastGrowthAt = init.now;
  }

  get key(): string {
    return inodeKey(this.dev, this.ino);
  }

  /** Reads the next bytes into `scratch`; returns how many (0 at the end). Does not move `offset`. */
  async read(scratch: Buffer): Promise<number> {
    const { bytesRead } = await this.handle.read(scratch, 0, scratch.length, this.offset);
    this.atEnd = bytesRead < scratch.length;
    return bytesRead;
  }

  /** Splits the bytes just read and moves past them; complete lines are appended to `out`. */
  consume(scratch: Buffer, length: number, now: number, out: LineRecord[]): void {
    if (length === 0) return;
    this.lines.feed(scratch.subarray(0, length), this.offset, this.path, this.fileId ?? '', out);
    this.offset += length;
    this.lastGrowthAt = now;
  }

  /** Emits the open line flagged partial; returns whether there was one. */
  flushOpenLine(out: LineRecord[]): boolean {
    return this.lines.flushOpenLine(this.path, this.fileId ?? '', out);
  }

  /** The file was truncated or rewritten: read it again from 0, as a new generation with a new id. */
  restartAtZero(now: number): void {
    this.lines.reset();
    this.fileId = undefined;
    this.head = headOf(Buffer.alloc(0));
    this.headCheckedAtSize = 0;
    this.offset = 0;
    this.startOffset = 0;
    this.lastGrowthAt = now;
    this.atEnd = false;
  }
}

export function inodeKey(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}

/**
 * Where `start_at: end` starts: after the last `\n` in the file's last 64 KiB, so reading begins on a
 * line boundary even when a writer is in the middle of a line; 0 for a short file without any `\n`
 * (its first line is still being written), the end for a longer one.
 */
export async function lastLineStart(handle: FileHandle, size: number): Promise<number> {
  const window = Math.min(size, 64 * 1024);
  if (window === 0) return 0;
  const bytes = Buffer.alloc(window);
  const { bytesRead } = await handle.read(bytes, 0, window, size - window);
  const nl = bytes.subarray(0, bytesRead).lastIndexOf(10);
  if (nl >= 0) return size - window + nl + 1;
  return window === size ? 0 : size;
}
