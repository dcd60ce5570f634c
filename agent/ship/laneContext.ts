import type { RetryOptions } from '../../core/backoff/backoff.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { DiskSpool } from '../spool/diskSpool.ts';
import type { Encoding } from './compression.ts';
import type { GatewayClient } from './gatewayClient.ts';
import type { BatchMeta, QueuedBatch } from './queuedBatch.ts';
import type { ShipMetrics } from './shipMetrics.ts';
import type { OnAcked } from './shipRecord.ts';

/** What every lane of one shipper shares. */
export interface LaneContext {
  client: GatewayClient;
  spool: DiskSpool<BatchMeta>;
  metrics: ShipMetrics;
  log: Logger;
  onAcked: OnAcked;
  /** Source bytes now durably in the spool (replayed at the next start): checkpoints may pass them too. */
  onSpooled: OnAcked;
  retry: RetryOptions;
  /** While backing off longer than this, the gateway is probed this often (jittered); 0: never. */
  probeIntervalMs: number;
  /** Batches a lane holds in memory before it spills (gateway failing) or pushes back (gateway slow). */
  memoryBatches: number;
  /** The encoding new batches get; lowered for all lanes when the gateway refuses one (415). */
  encoding: { current: Encoding };
  /** Aborted by close() at its deadline: cuts requests and retry waits short. */
  signal: AbortSignal;
  /** Called when a lane's memory use shrank or spool space was freed, so blocked adds re-check. */
  changed(): void;
}

export type LaneState = 'ok' | 'retrying' | 'misconfigured';

/**
 * What settling a batch (settleBatch.ts) needs of its lane. Lane implements it; declared apart so that
 * lane.ts and settleBatch.ts do not import each other.
 */
export interface SettlingLane {
  readonly index: number;
  readonly ctx: LaneContext;
  readonly queue: QueuedBatch[];
  inMemory: number;
  state: LaneState;
  attempts: number;
  /** The head is through (acknowledged, or refused for good): acknowledge its bytes and move on. */
  finish(head: QueuedBatch): Promise<void>;
  /** The head failed and will be retried: wait `delayMs`, in `state`; probing from `probeAfterMs` on. */
  retryLater(state: LaneState, delayMs: number, probeAfterMs: number | undefined): Promise<void>;
}
