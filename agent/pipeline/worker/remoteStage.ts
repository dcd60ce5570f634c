import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../../core/log/logger.ts';
import type { LineRecord } from '../../inputs/lineRecord.ts';
import type { PipelineStats } from '../pipeline.ts';
import type { PipelineSink, PipelineStage } from '../pipelineStage.ts';
import { linesMessage, type RecordsMessage, type ToWorker } from './messages.ts';

/**
 * Batches of lines an input may have handed to its workers and not yet seen through to the shipper,
 * per worker. Enough to keep every worker busy while this thread reads the next batch and ships the
 * last one; few enough that a blocked shipper stops the reading after a few hundred KiB.
 */
export const LINES_WINDOW_PER_WORKER = 2;
/** Answer buffers kept to send back to the workers (they keep as many to write into). */
const RECYCLED_BUFFERS = 8;

/**
 * One input's edge as its runner sees it when the pipeline runs in workers. Lines are posted, to the
 * workers in turn, and push() returns at once while the window has room. Every message is numbered;
 * answers, from whichever worker, are handed to the sink in that order, each after the one before was
 * taken, so a file's order holds and the shipper's backpressure reaches the input through the window.
 *
 * An input with multi-line assembly gets one worker: an event may span batches, so its lines must meet
 * in one pipeline. Single lines are events on their own, so batches of them can go to any worker.
 */
export class RemoteStage implements PipelineStage {
  private readonly workers: readonly Worker[];
  private readonly input: number;
  private readonly sink: PipelineSink;
  /** Resolves when shutdown begins: a push waiting for the window stops waiting then. */
  private readonly stopping: Promise<void>;
  private readonly log: Logger;
  private readonly window: number;

  private nextSeq = 0;
  private nextWorker = 0;
  /** Lines messages posted and not yet through to the sink. */
  private inflight = 0;
  private wake: (() => void) | undefined;
  /** Answers that came before an earlier one, by number. */
  private early = new Map<number, RecordsMessage>();
  private nextToDeliver = 0;
  private delivery: Promise<void> = Promise.resolve();
  /** Resolvers of drain(), by the number of the last drain message they wait for. */
  private drains = new Map<number, () => void>();
  private failure: Error | undefined;
  /** Each worker's latest totals for this input. */
  private latest: PipelineStats[];
  private heldBy: number[];
  /** Buffers of answers the shipper has copied: they go back with the next lines. */
  private recycled: ArrayBuffer[] = [];

  constructor(
    workers: readonly Worker[],
    input: number,
    sink: PipelineSink,
    stopping: Promise<void>,
    log: Logger,
  ) {
    this.workers = workers;
    this.input = input;
    this.sink = sink;
    this.stopping = stopping;
    this.log = log;
    this.window = LINES_WINDOW_PER_WORKER * workers.length + 2;
    this.latest = workers.map(() => ({ events: 0, parseErrors: 0, skipped: 0 }));
    this.heldBy = workers.map(() => 0);
  }

  async push(lines: LineRecord[], now: number): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const { message, transfer } = linesMessage(this.input, this.nextSeq++, lines, now, this.recycled);
    this.recycled = [];
    this.workers[this.nextWorker].postMessage(message, transfer);
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    this.inflight++;
    if (this.inflight >= this.window) {
      const room = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      await Promise.race([room, this.stopping]);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  tick(now: number): void {
    // Only inputs with multi-line assembly tick, and those have one worker.
    this.post(0, { kind: 'tick', input: this.input, seq: this.nextSeq++, now });
  }

  drain(): Promise<void> {
    if (this.failure !== undefined) return Promise.resolve();
    // Every worker drains; the last answer comes after every batch posted before, once all are in.
    let last = -1;
    for (let w = 0; w < this.workers.length; w++) {
      last = this.nextSeq++;
      this.post(w, { kind: 'drain', input: this.input, seq: last, now: Date.now() });
    }
    return new Promise<void>((resolve) => this.drains.set(last, resolve));
  }

  get held(): number {
    let held = 0;
    for (const h of this.heldBy) held += h;
    return held;
  }

  stats(): PipelineStats {
    const sum: PipelineStats = { events: 0, parseErrors: 0, skipped: 0 };
    for (const s of this.latest) {
      sum.events += s.events;
      sum.parseErrors += s.parseErrors;
      sum.skipped += s.skipped;
    }
    return sum;
  }

  /** An answer from worker `w`. */
  answered(w: number, message: RecordsMessage): void {
    this.latest[w] = message.stats;
    this.heldBy[w] = message.held;
    // Blank lines are acknowledged at once: acknowledgements may come in any order (the checkpoint
    // moves over the contiguous prefix only).
    const { skipped, skippedFileIds } = message;
    for (let k = 0; k < skippedFileIds.length; k++) {
      this.sink.skipped(skippedFileIds[k], skipped[2 * k], skipped[2 * k + 1]);
    }
    this.early.set(message.seq, message);
    for (let next = this.early.get(this.nextToDeliver); next !== undefined; ) {
      this.early.delete(this.nextToDeliver++);
      const inOrder = next;
      this.delivery = this.delivery.then(() => this.deliver(inOrder));
      next = this.early.get(this.nextToDeliver);
    }
  }

  /** A worker failed (a bug) or went away: the input stops with this error; nobody waits for it. */
  fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
    for (const resolve of this.drains.values()) resolve();
    this.drains.clear();
  }

  private post(w: number, message: ToWorker): void {
    if (this.failure === undefined) this.workers[w].postMessage(message);
  }

  private async deliver(message: RecordsMessage): Promise<void> {
    if (message.ends.length > 0) {
      try {
        const taken = this.sink.encoded(message);
        // The shipper copies the bytes before it waits for room: the buffer is free already.
        if (this.recycled.length < RECYCLED_BUFFERS) this.recycled.push(message.bytes.buffer as ArrayBuffer);
        await taken;
      } catch (error) {
        // Only a closed shipper refuses; the events were never acknowledged, so files are read again.
        this.log.error('events could not be handed to the shipper', {
          error: String(error),
          events: message.ends.length,
        });
      }
    }
    if (message.answers === 'lines') {
      this.inflight--;
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    } else if (message.answers === 'drain') {
      const resolve = this.drains.get(message.seq);
      this.drains.delete(message.seq);
      resolve?.();
    }
  }
}
