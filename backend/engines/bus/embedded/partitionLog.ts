/**
 * One partition of one topic: an append-only sequence of segments in its own directory.
 *
 * Appends are serialized through one writer loop with group commit: every produce() that arrives while a
 * write + fdatasync is in flight waits in `pending` and goes into the next round, which is one writev and
 * one fdatasync for all of them. So with fsync 'always' each caller still resolves only once its records
 * are on disk, but the number of fsyncs grows with time, not with the number of callers.
 *
 * Readers see only acknowledged records (offsets below `endOffset`), so a consumer never acts on a record
 * whose producer was told it failed, and a crash cannot take back anything a consumer has seen.
 */
import { mkdir } from 'node:fs/promises';
import { fsyncDir } from '../../../../core/fs/atomicFile.ts';
import type { BusRecord } from '../../../../core/ports/bus.ts';
import { BusUnavailableError } from '../../../../core/ports/bus.ts';
import { type EncodedBatch, encodeRecords } from './recordFormat.ts';
import { type RecoveryNote, recoverPartition } from './recovery.ts';
import { activeSegmentDue, expiredSegmentCount, type RetentionPolicy } from './retention.ts';
import { Segment } from './segment.ts';
import { TailWaiters } from './tailWaiters.ts';

export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface PartitionLogOptions {
  dir: string;
  topic: string;
  partition: number;
  fsync: FsyncPolicy;
  segmentBytes: number;
  cleanShutdown: boolean;
  /** Called after a roll, so retention can run when there is a new sealed segment to consider. */
  onRoll?: (log: PartitionLog) => void;
}

export interface PartitionStats {
  appendedRecords: number;
  appendRounds: number;
  fsyncs: number;
  rolls: number;
  segmentsDeleted: number;
}

interface PendingAppend {
  records: BusRecord[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  readonly stats: PartitionStats = {
    appendedRecords: 0,
    appendRounds: 0,
    fsyncs: 0,
    rolls: 0,
    segmentsDeleted: 0,
  };
  /** Segments oldest first; the last one is active. Only retention removes from the front. */
  private readonly segments: Segment[];
  private readonly options: PartitionLogOptions;
  private pending: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private acked: number;
  private failure: Error | undefined;
  private closed = false;
  /** Callers of requestRoll() waiting for the writer loop to roll. */
  private rollWaiters: Array<() => void> = [];
  private retentionRunning = false;
  private readonly tail = new TailWaiters();
  /** Bumped per written round; flush() compares it to know whether an fdatasync is owed. */
  private writtenRounds = 0;
  private syncedRounds = 0;

  private constructor(options: PartitionLogOptions, segments: Segment[]) {
    this.options = options;
    this.topic = options.topic;
    this.partition = options.partition;
    this.dir = options.dir;
    this.segments = segments;
    this.acked = this.active.nextOffset;
  }

  static async open(options: PartitionLogOptions): Promise<{ log: PartitionLog; notes: RecoveryNote[] }> {
    await mkdir(options.dir, { recursive: true });
    const { segments, notes } = await recoverPartition(options.dir, { cleanShutdown: options.cleanShutdown });
    if (segments.length === 0) {
      segments.push(await Segment.create(options.dir, 0));
      await fsyncDir(options.dir);
    }
    return { log: new PartitionLog(options, segments), notes };
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /** Offset of the oldest record still kept. */
  get startOffset(): number {
    return this.segments[0].baseOffset;
  }

  /** Offset after the last acknowledged record: what readers may see, and where lag is measured to. */
  get endOffset(): number {
    return this.acked;
  }

  /** Why this partition refuses appends, if it does (a failed fsync leaves the page cache in doubt). */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Segment holding `offset` (or the gap before the next one); undefined below the log start. */
  segmentFor(offset: number): Segment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found: Segment | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid].baseOffset <= offset) {
        found = this.segments[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  segmentAfter(segment: Segment): Segment | undefined {
    const i = this.segments.indexOf(segment);
    return i < 0 ? undefined : this.segments[i + 1];
  }

  /** Bytes of `segment` that readers may see. */
  readableBytes(segment: Segment): number {
    return segment === this.active ? segment.ackedSize : segment.size;
  }

  /** Resolves once the records are durable under the fsync policy; rejects with BusUnavailableError. */
  append(records: BusRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new BusUnavailableError(`partition ${this.name} is closed`));
    if (this.failure !== undefined) return Promise.reject(this.unavailable(this.failure));
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      this.kick();
    });
  }

  private get name(): string {
    return `${this.topic}/${this.partition}`;
  }

  private unavailable(cause: unknown): BusUnavailableError {
    return new BusUnavailableError(`could not append to ${this.name}: ${(cause as Error).message}`, 5, {
      cause,
    });
  }

  private kick(): void {
    if (this.writing !== undefined) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      // An append may have arrived after drain() saw an empty queue but before this callback ran.
      if ((this.pending.length > 0 || this.rollWaiters.length > 0) && this.failure === undefined) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while ((this.pending.length > 0 || this.rollWaiters.length > 0) && this.failure === undefined) {
      const round = this.pending;
      this.pending = [];
      try {
        const rejected = await this.writeRound(round);
        this.tail.wake(this.acked);
        for (const item of round) {
          const err = rejected.get(item);
          if (err === undefined) item.resolve();
          else item.reject(err);
        }
      } catch (err) {
        for (const item of round) item.reject(this.unavailable(err));
      }
    }
    if (this.failure !== undefined) {
      for (const item of this.pending.splice(0)) item.reject(this.unavailable(this.failure));
      for (const wake of this.rollWaiters.splice(0)) wake();
    }
  }

  /**
   * Writes one round: encode each caller's records with the next offsets, roll to a new segment when the
   * active one would pass segmentBytes, writev, then (fsync 'always') one fdatasync for the whole round.
   * Returns the callers whose own records were refused (too large) so only they are rejected.
   */
  private async writeRound(round: PendingAppend[]): Promise<Map<PendingAppend, Error>> {
    const rejected = new Map<PendingAppend, Error>();
    if (this.rollWaiters.length > 0) {
      const waiters = this.rollWaiters.splice(0);
      try {
        if (this.active.size > 0) await this.guard('roll', () => this.roll());
      } finally {
        for (const wake of waiters) wake();
      }
    }
    const timestamp = Date.now();
    let batch: EncodedBatch[] = [];
    let batchBytes = 0;
    let nextOffset = this.active.nextOffset;
    for (const item of round) {
      let encoded: EncodedBatch;
      try {
        encoded = encodeRecords(item.records, nextOffset, timestamp);
      } catch (err) {
        rejected.set(item, err as Error);
        continue;
      }
      const activeSize = this.active.size + batchBytes;
      if (activeSize > 0 && activeSize + encoded.bytes.byteLength > this.options.segmentBytes) {
        await this.writeBatch(batch);
        batch = [];
        batchBytes = 0;
        await this.guard('roll', () => this.roll());
      }
      batch.push(encoded);
      batchBytes += encoded.bytes.byteLength;
      nextOffset += encoded.count;
    }
    await this.writeBatch(batch);
    if (nextOffset === this.acked) return rejected;
    this.writtenRounds++;
    if (this.options.fsync === 'always') await this.sync();
    this.active.ackedSize = this.active.size;
    this.acked = this.active.nextOffset;
    this.stats.appendRounds++;
    return rejected;
  }

  private async writeBatch(batch: EncodedBatch[]): Promise<void> {
    if (batch.length === 0) return;
    const segment = this.active;
    try {
      await segment.append(batch);
    } catch (err) {
      // Cut off whatever part of the write landed, so the next round starts at a frame boundary. If even
      // that fails the file's tail is unknown: stop appending until a restart lets recovery decide.
      await this.guard('write', () => segment.truncateLog(segment.size));
      throw err;
    }
    for (const b of batch) this.stats.appendedRecords += b.count;
  }

  /** Runs a step whose failure leaves the log in an unknown state: on error, refuse all further appends. */
  private async guard(step: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.failure ??= new Error(`${step} failed: ${(err as Error).message}`, { cause: err });
      throw err;
    }
  }

  /**
   * fdatasync of the active segment. A failed fsync poisons the partition: after it, Linux may have
   * dropped the dirty pages while reporting them clean, so retrying could "succeed" without the data.
   */
  private async sync(): Promise<void> {
    const rounds = this.writtenRounds;
    await this.guard('fsync', () => this.active.sync());
    this.syncedRounds = Math.max(this.syncedRounds, rounds);
    this.stats.fsyncs++;
  }

  /** Seals the active segment (fsync log + index) and starts a new one at the next offset. */
  private async roll(): Promise<void> {
    const old = this.active;
    await old.seal();
    const next = await Segment.create(this.dir, old.nextOffset);
    // The new file's directory entry must be durable before any record in it is acknowledged.
    await fsyncDir(this.dir);
    old.ackedSize = old.size;
    this.segments.push(next);
    this.stats.rolls++;
    this.options.onRoll?.(this);
  }

  /** fsync owed under 'interval' and 'never' (called by the interval timer and by close). */
  async flush(): Promise<void> {
    if (this.syncedRounds === this.writtenRounds || this.failure !== undefined) return;
    await this.sync();
  }

  /** Resolves when a record at or after `offset` is readable, the signal aborts, or the log closes. */
  waitForData(offset: number, signal: AbortSignal): Promise<void> {
    if (this.acked > offset || this.closed || signal.aborted) return Promise.resolve();
    return this.tail.wait(offset, signal);
  }

  /** Seals the active segment (if it holds records) at the writer loop's next turn. */
  requestRoll(): Promise<void> {
    if (this.closed || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.rollWaiters.push(resolve);
      this.kick();
    });
  }

  /** Deletes expired segments (never the active one) and rolls an active segment whose data expired. */
  async applyRetention(policy: RetentionPolicy, now: number): Promise<number> {
    if (this.retentionRunning || this.closed) return 0;
    this.retentionRunning = true;
    try {
      // Rolled through the writer loop (appends and rolls must not interleave); the segment it seals is
      // then old enough to go in this same pass.
      if (activeSegmentDue(this.active, policy, now)) await this.requestRoll();
      const n = expiredSegmentCount(this.segments, policy, now);
      // Remove from the list first so no new read starts on them; oldest first keeps the log contiguous.
      const victims = this.segments.splice(0, n);
      for (const segment of victims) await segment.remove();
      this.stats.segmentsDeleted += n;
      return n;
    } finally {
      this.retentionRunning = false;
    }
  }

  /** Finishes queued appends, fsyncs and seals the active segment, and releases every file handle. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing !== undefined) await this.writing;
    this.tail.wake(this.acked, true);
    if (this.failure === undefined) await this.active.seal();
    await Promise.all(this.segments.map((s) => s.close()));
  }
}
