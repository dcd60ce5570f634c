import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RetryOptions } from '../../core/backoff/backoff.ts';
import { type Logger, silentLogger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { AgentConfig } from '../config/schema.ts';
import { openDiskSpool } from '../spool/diskSpool.ts';
import { Batcher } from './batcher.ts';
import { resolveEncoding } from './compression.ts';
import { createGatewayClient, type GatewayClient } from './gatewayClient.ts';
import { Lane } from './lane.ts';
import type { LaneContext, LaneState } from './laneContext.ts';
import { laneRouter } from './laneRouter.ts';
import { type BatchMeta, readBatchMeta } from './queuedBatch.ts';
import { shipperClosed } from './shipError.ts';
import { createShipMetrics } from './shipMetrics.ts';
import type { EncodedRecords, OnAcked, ShipRecord } from './shipRecord.ts';

/** The parts of agent.yaml the shipper reads. */
export type ShipperConfig = Pick<AgentConfig, 'gateway' | 'state_dir' | 'batch' | 'spool'>;

export interface ShipperDeps {
  /** Told which source bytes the gateway now holds; the input moves its checkpoints from this. */
  onAcked: OnAcked;
  /**
   * Told which source bytes are now durably in the spool, which the next start sends: the input may
   * move its checkpoints past them too, so they are not read again as well. Absent: only acks count.
   */
  onSpooled?: OnAcked;
  log?: Logger;
  /** The agent's registry (served at /metrics); a private one when absent. */
  metrics?: MetricsRegistry;
  /** Batches each lane holds in memory before spilling or pushing back; default 4. */
  memoryBatches?: number;
  /** Retry backoff; default base 250 ms, cap 30 s, Retry-After honoured up to 5 min. */
  retry?: Partial<RetryOptions>;
  /** Where spool files go; default `<state_dir>/spool`. */
  spoolDir?: string;
  /** A client other than the undici one (the benchmark measures the shipper without HTTP with it). */
  client?: GatewayClient;
}

export interface ShipperStats {
  /** Worst lane: `misconfigured` (key/URL refused) over `retrying` (gateway away or busy) over `ok`. */
  state: LaneState;
  /** Batches not yet acknowledged: compressing, in memory, in flight or spooled. */
  queuedBatches: number;
  inMemoryBatches: number;
  /** Events in batches still open (not yet closed by count, bytes or time). */
  openEvents: number;
  spoolBytes: number;
  spoolFiles: number;
  /** True while add() callers wait: the memory budget and the spool are full. */
  blocked: boolean;
}

export interface CloseReport {
  /** True when everything was acknowledged before the deadline. */
  drained: boolean;
  /** Batches written to the spool at close; a restart sends them. */
  spooled: number;
  /** Batches that fit neither the deadline nor the spool; never acknowledged, so their lines are read again. */
  kept: number;
}

export interface Shipper {
  /**
   * Takes events into batches. Resolves at once in the common case; waits while the shipper is full
   * (memory budget used and the spool full or the gateway merely slow), which is how backpressure
   * reaches the input: it does not read on until this settles. Nothing is ever dropped to make room.
   */
  add(records: readonly ShipRecord[]): Promise<void>;
  /** add() for a block of records an edge worker already encoded: same batching, order and waiting. */
  addEncoded(block: EncodedRecords): Promise<void>;
  /**
   * Closes the open batches and resolves once everything queued so far is acknowledged; rejects with
   * ShipError `shipper_closed` if close() comes first.
   */
  flush(): Promise<void>;
  /**
   * The SIGTERM path: takes no more events, closes the open batches, keeps sending until `deadlineMs`
   * (minus a reserve for the disk), then cuts what is in flight and spools whatever is left. Resolves
   * within the deadline unless the disk itself stalls. Unsent batches are never acknowledged.
   */
  close(deadlineMs: number): Promise<CloseReport>;
  stats(): ShipperStats;
}

const DEFAULT_RETRY: RetryOptions = { baseMs: 250, maxMs: 30_000, maxRetryAfterMs: 300_000 };
const STATE_RANK: Record<LaneState, number> = { ok: 0, retrying: 1, misconfigured: 2 };

/**
 * Batches, compresses and sends events to the gateway (agent/ship), with a disk spool for outages
 * (agent/spool). One lane per `gateway.concurrency`; each file's events travel in one lane.
 */
export async function createShipper(config: ShipperConfig, deps: ShipperDeps): Promise<Shipper> {
  const log = deps.log ?? silentLogger;
  const registry = deps.metrics ?? new MetricsRegistry();
  const metrics = createShipMetrics(registry);
  const spool = await openDiskSpool<BatchMeta>(deps.spoolDir ?? join(config.state_dir, 'spool'), {
    maxBytes: config.spool.max_bytes,
    log,
    readMeta: readBatchMeta,
  });
  const laneCount = config.gateway.concurrency;
  const client = deps.client ?? createGatewayClient(config.gateway, laneCount);
  const abort = new AbortController();
  let roomWaiters: Array<() => void> = [];
  const lanes: Lane[] = [];

  const ctx: LaneContext = {
    client,
    spool,
    metrics,
    log,
    onAcked: deps.onAcked,
    onSpooled: deps.onSpooled ?? (() => undefined),
    probeIntervalMs: config.gateway.probe_interval,
    retry: { ...DEFAULT_RETRY, ...deps.retry },
    memoryBatches: deps.memoryBatches ?? 4,
    encoding: { current: resolveEncoding(config.gateway.compression) },
    signal: abort.signal,
    changed() {
      for (const lane of lanes) lane.spill();
      if (roomWaiters.length > 0 && !overBudget()) wakeAdders();
    },
  };
  const overBudget = (): boolean => lanes.some((lane) => lane.inMemory > ctx.memoryBatches);
  const wakeAdders = (): void => {
    const waiters = roomWaiters;
    roomWaiters = [];
    for (const wake of waiters) wake();
  };

  const limits = {
    maxEvents: config.batch.max_events,
    maxBytes: config.batch.max_bytes,
    maxWaitMs: config.batch.max_wait,
  };
  const batchers: Batcher[] = [];
  for (let i = 0; i < laneCount; i++) {
    const lane = new Lane(i, ctx);
    lanes.push(lane);
    batchers.push(new Batcher(limits, (raw) => lane.enqueue(raw, spool.nextSeq())));
  }
  const route = laneRouter(laneCount);

  // What an earlier run spooled goes first, each batch into the lane of its file, in spool order.
  for (const entry of spool.recovered) lanes[route(entry.meta.route)].enqueueSpooled(entry);
  if (spool.recovered.length > 0) {
    log.info('sending batches spooled by an earlier run', {
      batches: spool.recovered.length,
      bytes: spool.bytes,
    });
  }
  const running = lanes.map((lane) => lane.run());

  registry.onCollect(() => {
    let queued = 0;
    let state: LaneState = 'ok';
    for (const lane of lanes) {
      queued += lane.queue.length;
      if (STATE_RANK[lane.state] > STATE_RANK[state]) state = lane.state;
    }
    metrics.queuedBatches.set(queued);
    metrics.spoolBytes.set(spool.bytes);
    metrics.spoolFiles.set(spool.files);
    metrics.gatewayUp.set(state === 'ok' ? 1 : 0);
    metrics.misconfigured.set(state === 'misconfigured' ? 1 : 0);
  });

  let closing: Promise<CloseReport> | undefined;

  const waitForRoom = async (): Promise<void> => {
    const started = performance.now();
    while (overBudget() && closing === undefined) {
      await new Promise<void>((resolve) => roomWaiters.push(resolve));
    }
    metrics.backpressureSeconds.inc(undefined, (performance.now() - started) / 1000);
  };

  const flushBatchers = (): void => {
    for (const batcher of batchers) batcher.flush();
  };

  return {
    async add(records) {
      if (closing !== undefined) throw shipperClosed();
      for (let i = 0; i < records.length; i++) {
        const record = records[i];
        batchers[route(record.fileId)].push(record);
      }
      if (overBudget()) await waitForRoom();
    },

    async addEncoded(block) {
      if (closing !== undefined) throw shipperClosed();
      const bytes = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
      let from = 0;
      for (let k = 0; k < block.fileIds.length; k++) {
        const fileId = block.fileIds[k];
        const to = block.runEnds[k];
        batchers[route(fileId)].pushEncoded(bytes, block.ends, block.ranges, fileId, from, to);
        from = to;
      }
      if (overBudget()) await waitForRoom();
    },

    async flush() {
      flushBatchers();
      await Promise.all(lanes.map((lane) => lane.idle()));
    },

    close(deadlineMs) {
      closing ??= (async () => {
        const deadline = performance.now() + deadlineMs;
        for (const batcher of batchers) batcher.stop();
        flushBatchers();
        wakeAdders();
        // A quarter of the time (at most 2 s) is kept for writing what is left to the spool.
        const sendUntil = deadline - Math.min(deadlineMs / 4, 2000);
        const drained = await Promise.race([
          Promise.all(lanes.map((lane) => lane.idle())).then(() => true),
          sleep(Math.max(0, sendUntil - performance.now()), false, { ref: false }),
        ]);
        abort.abort();
        await Promise.all(running);
        for (const lane of lanes) lane.abandonIdleWaiters(shipperClosed());
        let spooled = 0;
        let kept = 0;
        for (const lane of lanes) {
          const report = await lane.spoolRemaining();
          spooled += report.spooled;
          kept += report.kept;
        }
        if (kept > 0) {
          log.warn(
            'some batches fit neither the deadline nor the spool; their lines are read again at the next start',
            {
              batches: kept,
            },
          );
        }
        await client.close();
        return { drained, spooled, kept };
      })();
      return closing;
    },

    stats() {
      let state: LaneState = 'ok';
      let queuedBatches = 0;
      let inMemoryBatches = 0;
      for (const lane of lanes) {
        if (STATE_RANK[lane.state] > STATE_RANK[state]) state = lane.state;
        queuedBatches += lane.queue.length;
        inMemoryBatches += lane.inMemory;
      }
      return {
        state,
        queuedBatches,
        inMemoryBatches,
        openEvents: batchers.reduce((sum, b) => sum + b.pending, 0),
        spoolBytes: spool.bytes,
        spoolFiles: spool.files,
        blocked: roomWaiters.length > 0,
      };
    },
  };
}
