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
}

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

  /** Closes the open batch now (time limit, shutdown, explicit flush); nothing happens when it is empty. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.events === 0) return;
    const batch: RawBatch = {
      body: this.buffer.subarray(0, this.used),
      events: this.events,
      acks: this.acks.ranges,
      route: this.route,
    };
    // The closed body is still being compressed or sent, so the next batch gets a buffer of its own,
    // sized like this one: in steady state one allocation per batch and no growing.
    const capacity = Math.min(this.limits.maxBytes, Math.max(MIN_CAPACITY, this.used));
    this.buffer = Buffer.allocUnsafe(capacity);
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
    // Grow (an event bigger than maxBytes gets a buffer of its own size and a batch of its own).
    const grown = Buffer.allocUnsafe(
      Math.max(this.used + needed, Math.min(this.limits.maxBytes, this.buffer.length * 2)),
    );
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}
