/**
 * The sparse offset index of one segment: every INDEX_INTERVAL_BYTES of log, one entry mapping a record's
 * offset (relative to the segment's base offset) to its byte position. A lookup finds the nearest entry at
 * or below the wanted offset, and the reader scans forward from there, so a seek costs one small read.
 *
 * On disk (`<base>.index`): entries of u32 relativeOffset + u32 position, big-endian, appended in order.
 * The index is derived data: it is never fsynced on the produce path, and recovery rebuilds or extends it
 * from the log whenever it is missing, short or inconsistent.
 */

export const INDEX_ENTRY_BYTES = 8;
/** Log bytes between index entries (Kafka's index.interval.bytes default). */
export const INDEX_INTERVAL_BYTES = 4096;

export interface IndexEntry {
  relativeOffset: number;
  position: number;
}

export class OffsetIndex {
  private relativeOffsets: Uint32Array;
  private positions: Uint32Array;
  private count = 0;

  constructor(capacity = 64) {
    this.relativeOffsets = new Uint32Array(capacity);
    this.positions = new Uint32Array(capacity);
  }

  /**
   * Parses index file bytes, keeping the longest prefix that is well formed: strictly increasing offsets
   * and positions, positions inside the log. Anything after the first bad entry is dropped, not trusted.
   */
  static parse(bytes: Uint8Array, logSize: number): OffsetIndex {
    const n = Math.floor(bytes.byteLength / INDEX_ENTRY_BYTES);
    const index = new OffsetIndex(Math.max(64, n));
    const view = new DataView(bytes.buffer, bytes.byteOffset, n * INDEX_ENTRY_BYTES);
    for (let i = 0; i < n; i++) {
      const relativeOffset = view.getUint32(i * INDEX_ENTRY_BYTES);
      const position = view.getUint32(i * INDEX_ENTRY_BYTES + 4);
      if (position >= logSize || position === 0) break;
      const last = index.last();
      if (last !== undefined && (relativeOffset <= last.relativeOffset || position <= last.position)) break;
      index.append(relativeOffset, position);
    }
    return index;
  }

  get length(): number {
    return this.count;
  }

  append(relativeOffset: number, position: number): void {
    if (this.count === this.positions.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.relativeOffsets = grow(this.relativeOffsets);
      this.positions = grow(this.positions);
    }
    this.relativeOffsets[this.count] = relativeOffset;
    this.positions[this.count] = position;
    this.count++;
  }

  last(): IndexEntry | undefined {
    if (this.count === 0) return undefined;
    return { relativeOffset: this.relativeOffsets[this.count - 1], position: this.positions[this.count - 1] };
  }

  /** Drops entries from `count` on (used when recovery finds an entry that does not match the log). */
  truncate(count: number): void {
    this.count = Math.min(this.count, Math.max(0, count));
  }

  /** Nearest entry at or below `relativeOffset`; the segment start when there is none. */
  lookup(relativeOffset: number): IndexEntry {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relativeOffsets[mid] <= relativeOffset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return { relativeOffset: 0, position: 0 };
    return { relativeOffset: this.relativeOffsets[found], position: this.positions[found] };
  }

  /** Serializes entries [from, length) for appending to the index file. */
  encode(from = 0): Buffer {
    const n = this.count - from;
    const out = Buffer.allocUnsafe(n * INDEX_ENTRY_BYTES);
    for (let i = 0; i < n; i++) {
      out.writeUInt32BE(this.relativeOffsets[from + i], i * INDEX_ENTRY_BYTES);
      out.writeUInt32BE(this.positions[from + i], i * INDEX_ENTRY_BYTES + 4);
    }
    return out;
  }
}
