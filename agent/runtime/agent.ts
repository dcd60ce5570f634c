import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { Env } from '../pipeline/kubernetes.ts';
import { startPipelineHost } from '../pipeline/pipelineHost.ts';
import type { PipelineHost } from '../pipeline/pipelineStage.ts';
import { createShipper, type Shipper } from '../ship/shipper.ts';
import type { AckRange } from '../ship/shipRecord.ts';
import { createAgentMetrics } from './agentMetrics.ts';
import { renderFileLag } from './fileLag.ts';
import { type InputRunner, startInputRunner } from './inputRunner.ts';
import type { Health } from './metricsServer.ts';
import { AGENT_VERSION } from './version.ts';

export interface AgentDeps {
  log: Logger;
  registry?: MetricsRegistry;
  /** Downward-API environment; process.env when absent. */
  env?: Env;
  hostname?: string;
}

export interface StopReport {
  /** Everything read was acknowledged by the gateway before the deadline. */
  drained: boolean;
  /** Batches written to the spool, sent at the next start. */
  spooled: number;
  /** Batches neither sent nor spooled: their lines are read again at the next start (files only). */
  kept: number;
  elapsedMs: number;
}

export interface Agent {
  /**
   * Resolves when every input has ended by itself (only stdin does: end of stream) and rejects when an
   * input fails for good. Never settles for an agent that follows files: it runs until stopped.
   */
  readonly finished: Promise<void>;
  health(): Health;
  /** Prometheus text: the registry, plus per-file lag computed at the scrape. */
  metrics(): Promise<string>;
  /** Graceful stop within `deadlineMs`: stop reading, flush, wait for acks, write checkpoints. */
  stop(deadlineMs: number): Promise<StopReport>;
}

/** Starts every input of `config`, the pipelines and the shipper, and wires acks to checkpoints. */
export async function startAgent(config: AgentConfig, deps: AgentDeps): Promise<Agent> {
  const log = deps.log;
  const started = performance.now();
  const registry = deps.registry ?? new MetricsRegistry();
  const metrics = createAgentMetrics(registry, AGENT_VERSION);
  let beginStop: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => {
    beginStop = resolve;
  });
  // The pipelines (parse, mask, serialize) run in worker threads where there is a core to spare:
  // this thread reads files, batches and ships.
  const edges = await startPipelineHost(config, {
    env: deps.env,
    hostname: deps.hostname,
    log: log.child({ component: 'edge' }),
    stopping,
  });
  metrics.watchMasker({ stats: () => edges.maskStats() });
  const runners: InputRunner[] = [];
  let shipper: Shipper;
  try {
    // A range names its file, not its input: each input ignores files it does not follow, and
    // inputs are few, so asking all of them costs less than keeping a map of every file id ever seen.
    const acknowledge = (ranges: readonly AckRange[]): void => {
      for (const range of ranges) {
        for (const runner of runners) runner.ack(range.fileId, range.offset, range.next);
      }
    };
    shipper = await createShipper(config, {
      onAcked: acknowledge,
      // Spooled bytes are sent at the next start from the spool: reading them again would send them twice.
      onSpooled: acknowledge,
      log: log.child({ component: 'ship' }),
      metrics: registry,
    });
  } catch (error) {
    await edges.close();
    throw error;
  }

  let stopped: Promise<StopReport> | undefined;

  try {
    for (const [index, input] of config.inputs.entries()) {
      runners.push(
        await startInputRunner(index, input, config, {
          shipper,
          edges,
          metrics,
          log,
          stopping,
        }),
      );
    }
  } catch (error) {
    beginStop();
    await stopAll(runners, shipper, edges, 2000, log);
    throw error;
  }
  if (runners.length === 0) log.warn('no inputs configured: nothing will be read');

  // stdin ends with its stream: its last multi-line event goes out at once, not at shutdown.
  for (const runner of runners)
    runner.ended.then(
      () => runner.drain(),
      () => undefined,
    );
  const finished =
    runners.length > 0 && config.inputs.every((input) => input.type === 'stdin')
      ? Promise.all(runners.map((r) => r.ended)).then(() => undefined)
      : Promise.all(runners.map((r) => r.ended)).then(() => new Promise<void>(() => undefined));
  finished.catch(() => undefined); // observed by whoever awaits `finished`

  return {
    finished,
    health() {
      const stats = shipper.stats();
      return {
        status: stopped !== undefined ? 'stopping' : stats.state === 'ok' ? 'ok' : 'degraded',
        version: AGENT_VERSION,
        uptime_seconds: Math.round((performance.now() - started) / 1000),
        gateway: { url: config.gateway.url, state: stats.state },
        spool: { bytes: stats.spoolBytes, files: stats.spoolFiles },
        queued_batches: stats.queuedBatches,
        blocked: stats.blocked,
        inputs: runners.length,
      };
    },
    async metrics() {
      const lag = await renderFileLag(
        runners.flatMap((r) =>
          r.checkpoints === undefined ? [] : [{ labels: r.labels, checkpoints: r.checkpoints }],
        ),
      );
      return (await registry.render()) + lag;
    },
    stop(deadlineMs) {
      if (stopped === undefined) {
        beginStop();
        stopped = stopAll(runners, shipper, edges, deadlineMs, log);
      }
      return stopped;
    },
  };
}

/**
 * The shutdown order keeps at-least-once: inputs stop first (no new lines), then what the edge still
 * has (a worker's queue, held multi-line events) is handed over, then the shipper sends until its
 * deadline and spools the rest, and only then are checkpoints written, so they carry every
 * acknowledgement that arrived and nothing more.
 */
async function stopAll(
  runners: readonly InputRunner[],
  shipper: Shipper,
  edges: PipelineHost,
  deadlineMs: number,
  log: Logger,
): Promise<StopReport> {
  const t0 = performance.now();
  const left = () => Math.max(0, deadlineMs - (performance.now() - t0));
  // Inputs stop within a read turn; a stuck disk must not eat the whole deadline, so a quarter at most.
  const inputsStopped = await Promise.race([
    Promise.all(runners.map((r) => r.stop())).then(() => true),
    sleep(deadlineMs / 4, false, { ref: false }),
  ]).catch((error: unknown) => {
    log.error('an input failed while stopping', { error: String(error) });
    return true;
  });
  if (!inputsStopped) log.warn('inputs did not stop within a quarter of the deadline; going on without them');
  // Lines in a worker's queue are a few batches, turned into events in milliseconds; a bound all the
  // same (a quarter again): lines not handed over are not acknowledged, so they are read again.
  const drained = await Promise.race([
    Promise.all(runners.map((r) => r.drain())).then(() => true),
    sleep(deadlineMs / 4, false, { ref: false }),
  ]);
  if (!drained)
    log.warn('the edge did not hand over its last events in time; they are read again at the next start');
  const report = await shipper.close(left());
  for (const runner of runners) {
    // The final write: acks that came in while the shipper drained are in it.
    await runner.closeCheckpoints().catch((error: unknown) => {
      log.error('checkpoints could not be written at shutdown', { error: String(error) });
    });
  }
  await edges.close();
  return { ...report, elapsedMs: Math.round(performance.now() - t0) };
}
