import { pause } from '../../core/backoff/backoff.ts';
import type { SpoolEntry } from '../spool/diskSpool.ts';
import type { SpoolError } from '../spool/spoolError.ts';
import type { RawBatch } from './batcher.ts';
import { compress } from './compression.ts';
import type { LaneContext, LaneState, SettlingLane } from './laneContext.ts';
import type { BatchMeta, QueuedBatch } from './queuedBatch.ts';
import { handleOutcome } from './settleBatch.ts';

/**
 * One ordered stream of batches with one request in flight. Every file is pinned to one lane (by its
 * id), so a file's batches reach the gateway in the order they were read, retries included: the head is
 * retried until it is through, and only then does the next one go. Concurrency comes from running
 * several lanes side by side.
 *
 * The queue is one FIFO whose batches are each either in memory or in the spool; where a batch is
 * stored never changes its place, so draining the spool keeps the order by construction.
 */
export class Lane implements SettlingLane {
  readonly index: number;
  readonly ctx: LaneContext;
  readonly queue: QueuedBatch[] = [];
  /** Batches whose body counts against `memoryBatches`. */
  inMemory = 0;
  state: LaneState = 'ok';
  /** Failed attempts of the current head. */
  attempts = 0;
  /** The batch the loop is sending or retrying; never spilled from under it. */
  private current: QueuedBatch | undefined;
  private wake: (() => void) | undefined;
  private idleWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private spillRunning = false;

  constructor(index: number, ctx: LaneContext) {
    this.index = index;
    this.ctx = ctx;
    ctx.signal.addEventListener('abort', () => this.poke(), { once: true });
  }

  /** Queues a freshly closed batch; compression starts now, on the thread pool. */
  enqueue(raw: RawBatch, seq: number): void {
    const encoding = this.ctx.encoding.current;
    const batch: QueuedBatch = {
      key: { seq, part: '' },
      meta: { encoding, events: raw.events, rawBytes: raw.body.length, route: raw.route, acks: raw.acks },
      body: undefined,
      counted: true,
      ready: undefined,
      spooled: undefined,
      spilling: undefined,
    };
    batch.ready = compress(raw.body, encoding).then(
      (body) => {
        batch.body = body;
        batch.ready = undefined;
        // Compressed into a buffer of its own: the raw body's memory can carry the next batch.
        if (body !== raw.body) raw.release();
      },
      (error: unknown) => {
        // zlib failing on a valid buffer is a runtime fault; sending uncompressed still delivers.
        this.ctx.log.error('compression failed; sending the batch uncompressed', { error: String(error) });
        batch.meta.encoding = 'identity';
        batch.body = raw.body;
        batch.ready = undefined;
      },
    );
    this.queue.push(batch);
    this.inMemory++;
    this.poke();
    this.spill();
  }

  /** Queues a batch found in the spool at start (it goes before anything read in this run). */
  enqueueSpooled(entry: SpoolEntry<BatchMeta>): void {
    this.queue.push({
      key: entry.key,
      meta: entry.meta,
      body: undefined,
      counted: false,
      ready: undefined,
      spooled: entry,
      spilling: undefined,
    });
    this.poke();
  }

  /** Sends head after head until the shipper is closed (signal aborted). */
  async run(): Promise<void> {
    const { ctx } = this;
    while (!ctx.signal.aborted) {
      const head = this.queue[0];
      if (head === undefined) {
        this.notifyIdle();
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      this.current = head;
      let body: Buffer;
      try {
        body = await this.bodyOf(head);
      } catch (error) {
        await this.discard(head, 'a spooled batch cannot be read', error);
        continue;
      }
      if (ctx.signal.aborted) return;
      const started = performance.now();
      const outcome = await ctx.client.send(body, head.meta.encoding, ctx.signal);
      if (outcome.kind === 'aborted') return;
      ctx.metrics.latency.observe((performance.now() - started) / 1000);
      try {
        await handleOutcome(this, head, body, outcome);
      } catch (error) {
        // Only a damaged body gets here (it cannot be decompressed to split or re-encode it).
        await this.discard(head, 'a batch cannot be decoded', error);
      }
    }
  }

  /** Resolves once the queue is empty (everything acknowledged or refused for good). */
  idle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.idleWaiters.push({ resolve, reject }));
  }

  /** At close: whoever waits for the queue to empty learns it will not (in this run). */
  abandonIdleWaiters(error: Error): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  /** The head is through (acknowledged, or refused for good): acknowledge its bytes and move on. */
  async finish(head: QueuedBatch): Promise<void> {
    const { ctx } = this;
    this.queue.shift();
    this.attempts = 0;
    if (this.state !== 'ok') ctx.log.info('gateway takes batches again', { lane: this.index });
    this.state = 'ok';
    this.current = undefined;
    if (head.counted) this.inMemory--;
    head.counted = false;
    head.body = undefined;
    if (head.meta.acks.length > 0) {
      // The checkpoint may now move past these bytes: the gateway holds them durably (it answers only
      // after the bus has them), so a crash from here on cannot lose them.
      try {
        ctx.onAcked(head.meta.acks);
      } catch (error) {
        ctx.log.error('acknowledging a batch to its input failed', { error: String(error) });
      }
    }
    // Deleted only after the ack: a crash in between replays a delivered batch (a duplicate, which the
    // stores drop by id), never the reverse.
    if (head.spooled !== undefined) await ctx.spool.remove(head.spooled);
    ctx.changed();
  }

  /**
   * A batch that cannot be read back or decoded (disk fault, file removed by hand) is dropped. One that
   * was only in memory was never acknowledged, so a restart reads its lines again; one from the spool
   * was (see spooledAcks), so its lines are lost, and the log says how many.
   */
  private async discard(head: QueuedBatch, why: string, error: unknown): Promise<void> {
    const lost = head.spooled !== undefined && head.meta.acks.length > 0;
    this.ctx.log.error(
      lost
        ? `${why}; its events are lost (the spool held them in place of their files)`
        : `${why}; its lines will be read again from their files after a restart`,
      { file: head.spooled?.path, events: head.meta.events, error: String(error) },
    );
    if (lost) this.ctx.metrics.rejected.inc({ reason: 'spool_damaged' }, head.meta.events);
    this.queue.shift();
    this.current = undefined;
    if (head.counted) this.inMemory--;
    head.counted = false;
    if (head.spooled !== undefined) await this.ctx.spool.remove(head.spooled);
    this.ctx.changed();
  }

  /**
   * The head failed and will be retried: wait, spilling what waits behind it to disk meanwhile. From
   * `probeAfterMs` into the wait on (undefined: never), the wait is cut short as soon as `GET /readyz`
   * answers: resending the head is what backoff spares the gateway, a probe costs a few hundred bytes,
   * so an outage ends for us within about `probe_interval` of the gateway's return instead of up to the
   * backoff cap (30 s) later.
   */
  async retryLater(state: LaneState, delayMs: number, probeAfterMs: number | undefined): Promise<void> {
    this.state = state;
    this.attempts++;
    this.spill();
    const { signal, probeIntervalMs, client } = this.ctx;
    const started = performance.now();
    const until = started + delayMs;
    if (probeAfterMs === undefined || probeIntervalMs <= 0 || delayMs - probeAfterMs <= probeIntervalMs) {
      await pause(delayMs, signal); // cut short by close()
      return;
    }
    await pause(probeAfterMs, signal);
    while (!signal.aborted) {
      const left = until - performance.now();
      // Jittered, so a fleet of agents that lost the gateway together does not probe in lockstep.
      const step = probeIntervalMs * (0.5 + Math.random() / 2);
      if (left <= step) {
        await pause(Math.max(0, left), signal);
        return;
      }
      await pause(step, signal);
      if (signal.aborted || (await client.probe(signal))) return;
    }
  }

  /**
   * While the gateway fails, moves batches beyond the memory budget to the spool, newest first (the
   * oldest go first when it is back). Runs one write at a time per lane; stops when the spool is full,
   * and is started again when space is freed or the next retry fails.
   */
  spill(): void {
    if (this.state === 'ok' || this.spillRunning) return;
    this.spillRunning = true;
    this.spillLoop()
      .catch((error: unknown) => this.ctx.log.error('spilling to the spool failed', { error: String(error) }))
      .finally(() => {
        this.spillRunning = false;
      });
  }

  /** At close: writes every batch still only in memory to the spool, so a restart sends it. */
  async spoolRemaining(): Promise<{ spooled: number; kept: number }> {
    let spooled = 0;
    let kept = 0;
    for (const batch of this.queue) {
      if (batch.ready !== undefined) await batch.ready;
      if (batch.spilling !== undefined) await batch.spilling;
      if (batch.spooled !== undefined) continue;
      if (await this.spillOne(batch)) spooled++;
      else kept++;
    }
    return { spooled, kept };
  }

  private async spillLoop(): Promise<void> {
    while (this.state !== 'ok' && this.inMemory > this.ctx.memoryBatches && !this.ctx.signal.aborted) {
      let victim: QueuedBatch | undefined;
      // Never the batch being sent: it is retried from memory.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const batch = this.queue[i];
        if (batch.counted && batch.spilling === undefined && batch !== this.current) {
          victim = batch;
          break;
        }
      }
      if (victim === undefined) return;
      if (victim.ready !== undefined) await victim.ready;
      if (!(await this.spillOne(victim))) return;
    }
  }

  /** Writes one in-memory batch to the spool; false when it does not fit or the write failed. */
  private async spillOne(batch: QueuedBatch): Promise<boolean> {
    const body = batch.body;
    // While the loop runs, the batch it sends stays where it is (it may be delivered any moment).
    if (body === undefined || (batch === this.current && !this.ctx.signal.aborted)) return false;
    let done = false;
    batch.spilling = this.ctx.spool.write(batch.key, batch.meta, body).then(
      (entry) => {
        batch.spooled = entry;
        if (batch.counted) {
          batch.counted = false;
          batch.body = undefined;
          this.inMemory--;
        }
        done = true;
        this.spooledAcks(batch);
        this.ctx.changed();
      },
      (error: unknown) => {
        // A full spool is the normal end of spilling (backpressure takes over); anything else is a disk
        // problem worth a warning. Either way the batch stays in memory and is not lost.
        if ((error as SpoolError).code !== 'spool_full') {
          this.ctx.log.warn('could not spool a batch; it stays in memory', { error: String(error) });
        }
      },
    );
    await batch.spilling;
    batch.spilling = undefined;
    return done;
  }

  /**
   * The batch is fsynced in the spool, and the spool is replayed at every start: its lines must not be
   * read again from their files too, or a stop during an outage sends each of them twice. So the
   * checkpoint may pass them now. The price: a spool file damaged on disk later loses its lines (they
   * are not re-read), which the spool reports when it sets the file aside.
   */
  private spooledAcks(batch: QueuedBatch): void {
    if (batch.meta.acks.length === 0) return;
    try {
      this.ctx.onSpooled(batch.meta.acks);
    } catch (error) {
      this.ctx.log.error('acknowledging a spooled batch to its input failed', { error: String(error) });
    }
  }

  /** The head's compressed body: from memory, or read back from the spool. */
  private async bodyOf(head: QueuedBatch): Promise<Buffer> {
    if (head.ready !== undefined) await head.ready;
    if (head.spilling !== undefined) await head.spilling;
    if (head.body !== undefined) return head.body;
    if (head.spooled === undefined) throw new Error('queued batch has neither a body nor a spool file');
    // Kept for retries, but not counted: it is one batch per lane at most.
    head.body = await this.ctx.spool.read(head.spooled);
    return head.body;
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }
}
