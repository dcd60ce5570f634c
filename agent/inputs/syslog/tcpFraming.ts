import { Buffer } from 'node:buffer';

/** One syslog message taken off a TCP stream. */
export interface Frame {
  /** The message, without its framing (octet count, trailing `\n`/`\r\n`/NUL). */
  text: string;
  /** Bytes the frame took on the wire, framing included: the message's share of the stream. */
  wireBytes: number;
  /** Set when the message was longer than the limit: `text` holds its first bytes. */
  truncated: { originalBytes: number } | undefined;
}

/** An octet count has at most this many digits (RFC 6587 §3.4.1 sets none; 9 is 1 GB, plenty). */
const MAX_COUNT_DIGITS = 9;

/**
 * RFC 6587 framing of syslog over TCP, decided per message as rsyslog does: a frame starting with a
 * digit is octet-counted (`<length> <message>`), any other is newline-terminated (non-transparent
 * framing; a NUL also ends a message, as some senders use it). At most `maxBytes` of a message are
 * kept, whatever its length or framing: the rest is counted and dropped, so a peer cannot make the agent
 * buffer more than that. A malformed octet count is an error the caller answers by closing the
 * connection (resynchronizing inside a stream of unknown framing would only guess).
 */
export class TcpFramer {
  private readonly maxBytes: number;
  private pending: Buffer = Buffer.alloc(0);
  /** Octet-counted frame being read: bytes still to come, and its header's length. */
  private remaining = -1;
  private headerBytes = 0;
  private frameBytes = 0;
  /** Bytes of an over-long newline-framed message skipped so far (0: not skipping). */
  private skipping = 0;
  private kept: Buffer | undefined;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held for an unfinished message: never much more than `maxBytes`. */
  get buffered(): number {
    return this.pending.length + (this.kept?.length ?? 0);
  }

  /** Appends the messages completed by `chunk` to `out`; returns an error message when the stream is malformed. */
  feed(chunk: Buffer, out: Frame[]): string | undefined {
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    for (;;) {
      if (this.remaining >= 0) {
        data = this.readCounted(data, out);
        if (this.remaining >= 0) return undefined; // needs more bytes
        continue;
      }
      if (this.skipping > 0) {
        data = this.skipLine(data, out);
        if (this.skipping > 0) return undefined;
        continue;
      }
      // Between messages: trailers of the previous one (some senders add `\n` after counted frames).
      let start = 0;
      while (start < data.length && (data[start] === 10 || data[start] === 13 || data[start] === 0)) start++;
      data = data.subarray(start);
      if (data.length === 0) return undefined;
      const first = data[0];
      if (first >= 0x31 && first <= 0x39) {
        const space = data.subarray(0, MAX_COUNT_DIGITS + 1).indexOf(32);
        if (space < 0) {
          if (data.length > MAX_COUNT_DIGITS) return 'octet count too long or not followed by a space';
          this.pending = Buffer.from(data);
          return undefined;
        }
        const digits = data.subarray(0, space).toString('latin1');
        if (!/^[1-9][0-9]*$/.test(digits)) return `malformed octet count "${digits}"`;
        this.remaining = Number(digits);
        this.headerBytes = space + 1;
        this.frameBytes = this.remaining;
        this.kept = undefined;
        data = data.subarray(space + 1);
        continue;
      }
      const end = endOfLine(data);
      if (end < 0) {
        if (data.length > this.maxBytes) {
          // Too long to hold: keep its head, count and drop the rest until its end.
          this.kept = Buffer.from(data.subarray(0, this.maxBytes));
          this.skipping = data.length;
          return undefined;
        }
        this.pending = Buffer.from(data);
        return undefined;
      }
      const text = data.subarray(0, end);
      out.push(frame(text, end + 1, this.maxBytes));
      data = data.subarray(end + 1);
    }
  }

  private readCounted(data: Buffer, out: Frame[]): Buffer {
    const take = Math.min(this.remaining, data.length);
    const already = this.frameBytes - this.remaining;
    if (already < this.maxBytes) {
      const keep = data.subarray(0, Math.min(take, this.maxBytes - already));
      this.kept = this.kept === undefined ? Buffer.from(keep) : Buffer.concat([this.kept, keep]);
    }
    this.remaining -= take;
    if (this.remaining === 0) {
      const body = this.kept ?? Buffer.alloc(0);
      out.push({
        text: trimTrailer(body).toString('utf8'),
        wireBytes: this.headerBytes + this.frameBytes,
        truncated: this.frameBytes > this.maxBytes ? { originalBytes: this.frameBytes } : undefined,
      });
      this.remaining = -1;
      this.kept = undefined;
    }
    return data.subarray(take);
  }

  private skipLine(data: Buffer, out: Frame[]): Buffer {
    const end = endOfLine(data);
    if (end < 0) {
      this.skipping += data.length;
      return data.subarray(data.length);
    }
    const originalBytes = this.skipping + end;
    out.push({
      text: (this.kept ?? Buffer.alloc(0)).toString('utf8'),
      wireBytes: originalBytes + 1,
      truncated: { originalBytes },
    });
    this.skipping = 0;
    this.kept = undefined;
    return data.subarray(end + 1);
  }
}

/** A message that came whole: `\r` before its `\n` dropped, cut at `maxBytes`. */
function frame(bytes: Buffer, wireBytes: number, maxBytes: number): Frame {
  const body = trimTrailer(bytes);
  if (body.length <= maxBytes) return { text: body.toString('utf8'), wireBytes, truncated: undefined };
  return {
    text: body.subarray(0, maxBytes).toString('utf8'),
    wireBytes,
    truncated: { originalBytes: body.length },
  };
}

function endOfLine(data: Buffer): number {
  const nl = data.indexOf(10);
  const nul = data.indexOf(0);
  if (nl < 0) return nul;
  return nul < 0 ? nl : Math.min(nl, nul);
}

/** A message without the line ends and NULs senders add after it. */
export function trimTrailer(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 10 || bytes[end - 1] === 13 || bytes[end - 1] === 0)) end--;
  return bytes.subarray(0, end);
}
