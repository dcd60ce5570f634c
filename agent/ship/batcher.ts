import { AckRangeCollector } from './ackRanges.ts';
import type { AckRange, ShipRecord } from './shipRecord.ts';

export interface BatchLimits {
  /** A batch closes when it holds this many events… */
  maxEvents: number;
  /** …or when one more event would take its NDJSON past this many bytes (one oversized event goes alone)… */
  maxBytes: number;
  /** …or when its first event has waited this long. */
  maxWaitMs: number;
}

/** A closed batch: the NDJSON body before compression and the source bytes an ack of it covers. */
export interface RawBatch {
  /** One JSON object per line, each line ended by `\n`. */
  body: Buffer;
  events: number;
  acks: AckRange[];
  /** File id of the first event: which lane the batch travels in, also after a restart. */
  route: string;
  /**
   * Gives the body's memory back to the batcher for a later batch: call once nothing reads `body`
   * any more (it was compressed into a buffer of its own). Optional: a body never released is garbage.
   */
  release(): void;
}

/** Released bodies kept for reuse: about what one lane has in compression at a time. */
const SPARE_BUFFERS = 4;

const MIN_CAPACITY = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Accumulates events into NDJSON batches closed by count, bytes or time. Each event's JSON is encoded
 * straight into the batch's buffer: one UTF-8 pass per event, no joined string, no per-event allocation.
 */
export class Batcher {
  private readonly limits: BatchLimits;
  private readonly onBatch: (batch: RawBatch) => void;
  private buffer: Buffer;
  private used = 0;
  private events = 0;
  private acks = new AckRangeCollector();
  private route = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private spare: Buffer[] = [];

  constructor(limits: BatchLimits, onBatch: (batch: RawBatch) => void) {
    this.limits = limits;
    this.onBatch = onBatch;
    this.buffer = Buffer.allocUnsafe(Math.min(limits.maxBytes, MIN_CAPACITY));
  }

  /** Events in the open batch. */
  get pending(): number {
    return this.events;
  }

  push(record: ShipRecord): void {
    const json = record.json;
    // UTF-8 needs at most 3 bytes per UTF-16 unit; with that much room the write cannot overflow, and
    // the exact length (a second pass over the string) is only needed near the end of a batch.
    if (this.buffer.length - this.used < json.length * 3 + 1) this.makeRoom(Buffer.byteLength(json) + 1);
    if (this.events === 0) {
      this.route = record.fileId;
      this.timer = setTimeout(() => this.flush(), this.limits.maxWaitMs);
    }
    this.used += this.buffer.write(json, this.used);
    this.buffer[this.used++] = NEWLINE;
    this.events++;
    this.acks.add(record.fileId, record.offset, record.next);
    if (this.events >= this.limits.maxEvents || this.used >= this.limits.maxBytes) this.flush();
  }

  /**
   * Appends records `[from, to)` of an encoded block (see EncodedRecords), all of `fileId`, with the
   * limits of push(). The bytes are already UTF-8: as many records as fit are copied at once.
   */
  pushEncoded(
    block: Buffer,
    ends: Uint32Array,
    ranges: Float64Array,
    fileId: string,
    from: number,
    to: number,
  ): void {
    const { maxEvents, maxBytes } = this.limits;
    let i = from;
    while (i < to) {
      const start = i === 0 ? 0 : ends[i - 1];
      // A record that would take the batch past max_bytes starts the next one, as in push().
      if (this.events > 0 && this.used + ends[i] - start > maxBytes) this.flush();
      let j = i;
      let end = start;
      do {
        if (j > i && this.used + ends[j] - start > maxBytes) break;
        end = ends[j];
        j++;
      } while (j < to && this.events + (j - i) < maxEvents && this.used + end - start < maxBytes);
      const size = end - start;
      if (this.buffer.length - this.used < size) this.grow(size);
      if (this.events === 0) {
        this.route = fileId;
        this.timer = setTimeout(() => this.flush(), this.limits.maxWaitMs);
      }
      block.copy(this.buffer, this.used, start, end);
      this.used += size;
      this.events += j - i;
      for (let k = i; k < j; k++) this.acks.add(fileId, ranges[2 * k], ranges[2 * k + 1]);
      if (this.events >= maxEvents || this.used >= maxBytes) this.flush();
      i = j;
    }
  }

  /** Closes the open batch now (time limit, shutdown, explicit flush); nothing happens when it is empty. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.events === 0) return;
    const full = this.buffer;
    const batch: RawBatch = {
      body: full.subarray(0, this.used),
      events: this.events,
      acks: this.acks.ranges,
      route: this.route,
      release: () => {
        if (this.spare.length < SPARE_BUFFERS) this.spare.push(full);
      },
    };
    // The closed body is still being compressed or sent, so the next batch gets a buffer of its own,
    // sized like this one: a released one when there is one (no allocation, no garbage for the GC to
    // find outside its heap), else a new one.
    const capacity = Math.min(this.limits.maxBytes, Math.max(MIN_CAPACITY, this.used));
    let next = this.spare.pop();
    while (next !== undefined && next.length < capacity) next = this.spare.pop();
    this.buffer = next ?? Buffer.allocUnsafe(capacity);
    this.used = 0;
    this.events = 0;
    this.acks = new AckRangeCollector();
    this.onBatch(batch);
  }

  /** Stops the time limit; the open batch (if any) stays until flush(). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Ensures `needed` more bytes fit, closing the batch first when they would take it past maxBytes. */
  private makeRoom(needed: number): void {
    if (this.events > 0 && this.used + needed > this.limits.maxBytes) this.flush();
    if (this.buffer.length - this.used >= needed) return;
    this.grow(needed);
  }

  /** Grows the buffer to take `needed` more bytes (an event bigger than maxBytes gets a buffer of its own size). */
  private grow(needed: number): void {
    const grown = Buffer.allocUnsafe(
      Math.max(this.used + needed, Math.min(this.limits.maxBytes, this.buffer.length * 2)),
    );
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}
