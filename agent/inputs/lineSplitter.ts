import { Buffer } from 'node:buffer';
import { type LineRecord, lineRecord } from './lineRecord.ts';

/**
 * Turns chunks of bytes into lines, shared by the file and stdin inputs. It keeps the one line that is
 * still open (no `\n` yet) between chunks, so a line split across reads or writes comes out whole, and
 * it keeps at most `maxLineBytes` of it: a longer line is cut, flagged with its real length, and the rest
 * of it is counted but never buffered, so a 10 MB line costs `maxLineBytes` of memory, not 10 MB.
 *
 * Offsets are counted in bytes, never in characters, so they stay exact for any content (UTF-8, invalid
 * bytes, NULs): newlines are found in the bytes (a native memchr) and each line is decoded on its own,
 * straight from the chunk. Measured, that beats decoding the chunk once and slicing the string (sliced
 * strings cost more to make, and would keep the whole chunk's string alive as long as any line lives).
 */
export class LineSplitter {
  readonly maxLineBytes: number;
  /** Kept bytes of the open line (at most maxLineBytes); our own copy, callers reuse their buffers. */
  private kept: Buffer = Buffer.alloc(0);
  private keptLength = 0;
  /** All bytes of the open line seen so far, including those beyond maxLineBytes that were not kept. */
  private openBytes = 0;
  private openStart = 0;
  private lastByte = -1;

  constructor(maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** True while a line has started but its `\n` has not been seen. */
  get hasOpenLine(): boolean {
    return this.openBytes > 0;
  }

  /** Bytes held for the open line: never more than maxLineBytes, however long the line is. */
  get bufferedBytes(): number {
    return this.kept.length;
  }

  /** Byte offset where the open line starts (meaningful while hasOpenLine). */
  get openLineStart(): number {
    return this.openStart;
  }

  /**
   * Splits `bytes` (which sit at byte offset `at` of the source, right after everything fed before) and
   * appends every line completed by them to `out`. The bytes after the last `\n` stay as the open line.
   */
  feed(bytes: Buffer, at: number, source: string, fileId: string, out: LineRecord[]): void {
    const length = bytes.length;
    let p = 0;
    if (this.openBytes > 0) {
      const nl = bytes.indexOf(10);
      if (nl < 0) {
        this.keep(bytes, 0, length);
        return;
      }
      this.closeOpenLine(bytes, nl, at, source, fileId, out);
      p = nl + 1;
    }
    if (p >= length) return;
    const tail = this.splitBytes(bytes, p, at, source, fileId, out);
    if (tail < length) {
      this.openStart = at + tail;
      this.keep(bytes, tail, length);
    }
  }

  /**
   * Emits the open line as it is, flagged partial (the caller decided its newline is not coming: the
   * partial-line timeout passed, the stream ended, the file is being closed). Returns whether it did.
   */
  flushOpenLine(source: string, fileId: string, out: LineRecord[]): boolean {
    if (this.openBytes === 0) return false;
    const total = this.openBytes;
    const text =
      total > this.maxLineBytes
        ? cutText(this.kept.subarray(0, this.keptLength), this.maxLineBytes)
        : this.keptText(total);
    const truncated = total > this.maxLineBytes ? { originalBytes: total } : undefined;
    out.push(lineRecord(source, fileId, this.openStart, this.openStart + total, text, truncated, true));
    this.reset();
    return true;
  }

  /** Forgets the open line without emitting it (the bytes it came from were rewound or replaced). */
  reset(): void {
    this.openBytes = 0;
    this.keptLength = 0;
    this.lastByte = -1;
    if (this.kept.length > 64 * 1024) this.kept = Buffer.alloc(0);
  }

  /** Splits on the bytes, decoding each line as UTF-8; returns where the open tail starts. */
  private splitBytes(
    bytes: Buffer,
    from: number,
    at: number,
    source: string,
    fileId: string,
    out: LineRecord[],
  ) {
    const max = this.maxLineBytes;
    let p = from;
    for (;;) {
      const nl = bytes.indexOf(10, p);
      if (nl < 0) break;
      const end = nl > p && bytes[nl - 1] === 13 ? nl - 1 : nl;
      if (end - p > max) {
        const cut = cutText(bytes.subarray(p, end), max);
        out.push(lineRecord(source, fileId, at + p, at + nl + 1, cut, { originalBytes: end - p }, false));
      } else {
        const text = bytes.toString('utf8', p, end);
        out.push(lineRecord(source, fileId, at + p, at + nl + 1, text, undefined, false, bytes, p, end));
      }
      p = nl + 1;
    }
    return p;
  }

  /** The open line ends at `bytes[nl]`: emit it joined from what was kept and the head of `bytes`. */
  private closeOpenLine(
    bytes: Buffer,
    nl: number,
    at: number,
    source: string,
    fileId: string,
    out: LineRecord[],
  ) {
    const endsWithCr = nl > 0 ? bytes[nl - 1] === 13 : this.lastByte === 13;
    this.keep(bytes, 0, nl);
    const lineBytes = this.openBytes - (endsWithCr ? 1 : 0);
    const tooLong = lineBytes > this.maxLineBytes;
    const text = tooLong
      ? cutText(this.kept.subarray(0, this.keptLength), this.maxLineBytes)
      : this.keptText(lineBytes);
    out.push(
      lineRecord(
        source,
        fileId,
        this.openStart,
        at + nl + 1,
        text,
        tooLong ? { originalBytes: lineBytes } : undefined,
        false,
      ),
    );
    this.reset();
  }

  private keptText(bytes: number): string {
    return this.kept.toString('utf8', 0, Math.min(bytes, this.keptLength));
  }

  /** Adds bytes[from, to) to the open line, keeping no more than maxLineBytes of it. */
  private keep(bytes: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    const room = this.maxLineBytes - this.keptLength;
    if (room > 0) {
      const take = Math.min(room, n);
      const need = this.keptLength + take;
      if (need > this.kept.length) {
        const grown = Buffer.allocUnsafe(
          Math.min(this.maxLineBytes, Math.max(need, this.kept.length * 2, 256)),
        );
        this.kept.copy(grown, 0, 0, this.keptLength);
        this.kept = grown;
      }
      bytes.copy(this.kept, this.keptLength, from, from + take);
      this.keptLength = need;
    }
    this.openBytes += n;
    this.lastByte = bytes[to - 1];
  }
}

/**
 * Decodes the first `max` bytes (or all, when shorter), ending before a character the cut would split,
 * so a truncated line does not end in a replacement character it never had. Looks backwards only: the
 * byte after the cut may not have been kept.
 */
function cutText(bytes: Buffer, max: number): string {
  const end = Math.min(max, bytes.length);
  let lead = end - 1;
  while (lead >= 0 && end - lead < 4 && (bytes[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0) return bytes.toString('utf8', 0, end);
  const b = bytes[lead];
  const width = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  // Only a well-formed start that lacks its continuation bytes is dropped; invalid bytes stay as U+FFFD.
  return bytes.toString('utf8', 0, width > 1 && end - lead < width ? lead : end);
}
