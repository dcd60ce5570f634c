/**
 * The on-disk frame of one record. A segment file is nothing but these frames back to back, so a reader
 * can start at any frame boundary (the sparse index gives some) and a torn tail is detectable.
 *
 *   u32 frameLength   bytes after this field (crc + body)
 *   u32 crc32         zlib CRC-32 of the body
 *   body:
 *     u8  version     FORMAT_VERSION
 *     u8  attributes  reserved (compression), 0
 *     u64 offset      absolute offset in the partition
 *     u64 timestamp   append time, ms since the epoch
 *     u32 keyLength,   key (UTF-8)
 *     u32 valueLength, value
 *     u16 headerCount, then per header: u16 nameLength, name (UTF-8), u32 valueLength, value (UTF-8)
 *
 * All integers big-endian. Offsets and timestamps are kept as JS numbers in memory (exact below 2^53).
 */
import { crc32 } from 'node:zlib';
import type { BusRecord, ConsumedRecord } from '../../../../core/ports/bus.ts';
import { RecordTooLargeError } from './errors.ts';

export const FORMAT_VERSION = 1;
/** frameLength + crc32. */
export const FRAME_HEADER_BYTES = 8;
const BODY_FIXED_BYTES = 1 + 1 + 8 + 8 + 4 + 4 + 2;
export const MIN_FRAME_BYTES = FRAME_HEADER_BYTES + BODY_FIXED_BYTES;
/** Hard cap on one frame; also what stops a garbage length field from making recovery allocate gigabytes. */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

/** frameEnd() results that are not an end position. */
export const INCOMPLETE = -1;
export const CORRUPT = -2;

const TWO_32 = 2 ** 32;

/** Records encoded into one contiguous buffer of frames, ready for a single write. */
export interface EncodedBatch {
  bytes: Buffer;
  /** Byte position of each frame inside `bytes`, for the sparse offset index. */
  frameStarts: Uint32Array;
  firstOffset: number;
  count: number;
  timestamp: number;
}

function headersBytes(headers: Record<string, string> | undefined): number {
  if (headers === undefined) return 0;
  let n = 0;
  for (const name in headers) n += 6 + Buffer.byteLength(name) + Buffer.byteLength(headers[name]);
  return n;
}

function writeU64(buf: Buffer, value: number, pos: number): void {
  buf.writeUInt32BE(Math.floor(value / TWO_32), pos);
  buf.writeUInt32BE(value >>> 0, pos + 4);
}

function readU64(buf: Buffer, pos: number): number {
  return buf.readUInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

/** Encodes records as consecutive frames with offsets firstOffset, firstOffset+1, … in one buffer. */
export function encodeRecords(records: BusRecord[], firstOffset: number, timestamp: number): EncodedBatch {
  const count = records.length;
  const keyLengths = new Uint32Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i];
    keyLengths[i] = Buffer.byteLength(r.key);
    const frame = MIN_FRAME_BYTES + keyLengths[i] + r.value.byteLength + headersBytes(r.headers);
    if (frame > MAX_FRAME_BYTES) throw new RecordTooLargeError(frame, MAX_FRAME_BYTES);
    total += frame;
  }
  const bytes = Buffer.allocUnsafe(total);
  const frameStarts = new Uint32Array(count);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i];
    const start = pos;
    frameStarts[i] = start;
    pos += FRAME_HEADER_BYTES;
    bytes[pos++] = FORMAT_VERSION;
    bytes[pos++] = 0;
    writeU64(bytes, firstOffset + i, pos);
    writeU64(bytes, timestamp, pos + 8);
    pos += 16;
    bytes.writeUInt32BE(keyLengths[i], pos);
    pos += 4 + bytes.write(r.key, pos + 4, 'utf8');
    bytes.writeUInt32BE(r.value.byteLength, pos);
    bytes.set(r.value, pos + 4);
    pos += 4 + r.value.byteLength;
    pos = writeHeaders(bytes, pos, r.headers);
    bytes.writeUInt32BE(pos - start - 4, start);
    bytes.writeUInt32BE(crc32(bytes.subarray(start + FRAME_HEADER_BYTES, pos)), start + 4);
  }
  return { bytes, frameStarts, firstOffset, count, timestamp };
}

function writeHeaders(bytes: Buffer, pos: number, headers: Record<string, string> | undefined): number {
  const countPos = pos;
  pos += 2;
  let n = 0;
  if (headers !== undefined) {
    for (const name in headers) {
      const nameLength = bytes.write(name, pos + 2, 'utf8');
      bytes.writeUInt16BE(nameLength, pos);
      pos += 2 + nameLength;
      const valueLength = bytes.write(headers[name], pos + 4, 'utf8');
      bytes.writeUInt32BE(valueLength, pos);
      pos += 4 + valueLength;
      n++;
    }
  }
  bytes.writeUInt16BE(n, countPos);
  return pos;
}

/**
 * Validates the frame starting at `pos` using bytes up to `limit`: returns the frame's end position,
 * INCOMPLETE when the bytes stop inside it (a torn write, or a read chunk that was too short), or CORRUPT
 * when its length, version or checksum is wrong.
 */
export function frameEnd(buf: Buffer, pos: number, limit: number): number {
  if (limit - pos < FRAME_HEADER_BYTES) return INCOMPLETE;
  const length = buf.readUInt32BE(pos);
  if (length < MIN_FRAME_BYTES - 4 || length + 4 > MAX_FRAME_BYTES) return CORRUPT;
  const end = pos + 4 + length;
  if (end > limit) return INCOMPLETE;
  if (buf[pos + FRAME_HEADER_BYTES] !== FORMAT_VERSION) return CORRUPT;
  if (crc32(buf.subarray(pos + FRAME_HEADER_BYTES, end)) !== buf.readUInt32BE(pos + 4)) return CORRUPT;
  return end;
}

/** Total length of the frame at `pos` as its header claims (only meaningful once 4 bytes are present). */
export function claimedFrameBytes(buf: Buffer, pos: number): number {
  return buf.readUInt32BE(pos) + 4;
}

export function frameOffset(buf: Buffer, pos: number): number {
  return readU64(buf, pos + FRAME_HEADER_BYTES + 2);
}

export function frameTimestamp(buf: Buffer, pos: number): number {
  return readU64(buf, pos + FRAME_HEADER_BYTES + 10);
}

/** Decodes a frame already validated by frameEnd. The value is a view into `buf`, not a copy. */
export function decodeRecord(buf: Buffer, pos: number, topic: string, partition: number): ConsumedRecord {
  let p = pos + FRAME_HEADER_BYTES + 2;
  const offset = BigInt(readU64(buf, p));
  const timestamp = readU64(buf, p + 8);
  p += 16;
  const keyLength = buf.readUInt32BE(p);
  const key = buf.toString('utf8', p + 4, p + 4 + keyLength);
  p += 4 + keyLength;
  const valueLength = buf.readUInt32BE(p);
  const value = buf.subarray(p + 4, p + 4 + valueLength);
  p += 4 + valueLength;
  const headerCount = buf.readUInt16BE(p);
  p += 2;
  const record: ConsumedRecord = { topic, partition, offset, timestamp, key, value };
  if (headerCount > 0) {
    const headers: Record<string, string> = {};
    for (let i = 0; i < headerCount; i++) {
      const nameLength = buf.readUInt16BE(p);
      const name = buf.toString('utf8', p + 2, p + 2 + nameLength);
      p += 2 + nameLength;
      const length = buf.readUInt32BE(p);
      const value = buf.toString('utf8', p + 4, p + 4 + length);
      // A header named __proto__ must stay a plain field, not replace the object's prototype; any other
      // name is assigned (defineProperty per header was most of this function's time).
      if (name === '__proto__')
        Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
      else headers[name] = value;
      p += 4 + length;
    }
    record.headers = headers;
  }
  return record;
}
