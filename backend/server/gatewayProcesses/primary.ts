import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../../core/log/logger.ts';
import { failed } from '../../checks/result.ts';
import type { ServerConfig } from '../../config/schema.ts';
import type { Readiness } from '../health.ts';
import { type RunningServer, startServer } from '../server.ts';
import { ipcError } from './ipcBus.ts';
import { mergeMetrics } from './mergeMetrics.ts';
import { createRequests, type ToPrimary, type ToWorker } from './messages.ts';
import { nameServedRoute } from './passTo.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** Longest the primary waits for a gateway process to listen, and for all of them to drain at stop. */
const START_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 25_000;
/** A process that dies sooner than this after starting is replaced after a growing pause (crash loops). */
const STABLE_MS = 10_000;
const MAX_RESTART_PAUSE_MS = 30_000;
/** Longest a /metrics waits for one process's own text; a process that does not answer is left out. */
const RENDER_TIMEOUT_MS = 2_000;
/** Longest a /readyz waits for one process's own checks; one that does not answer is reported unusable. */
const PROBE_TIMEOUT_MS = 2_500;

interface GatewayProcess {
  worker: Worker;
  startedAt: number;
  requests: ReturnType<typeof createRequests<Extract<ToWorker, { id: number }>>>;
}

/**
 * `listen.processes` > 1 for a process with the gateway role: this process becomes the primary of a
 * node:cluster. It runs every other role itself (in standalone: the embedded bus, the workers, the query
 * API) with its own listener on loopback, and forks `count` gateway processes (worker.ts) sharing the
 * gateway's port, which the cluster's primary hands connections to in turn. With the embedded bus they
 * produce through this process over IPC (the log is one process's directory); with Kafka each has its own
 * producer. A gateway process that dies is replaced; stop() drains them all before the other roles stop.
 */
export async function startGatewayProcesses(
  config: ServerConfig,
  log: Logger,
  count: number,
): Promise<RunningServer> {
  // Its own listener is not the port people use: its line must not read as the server's.
  const inner = await startServer({ ...config, roles: config.roles.filter((r) => r !== 'gateway') }, log, {
    address: '127.0.0.1:0',
    listening: 'listening for the gateway processes',
    // The gateway processes pass it every request they do not serve; their metrics name its route.
    before: (app) => app.use('*', nameServedRoute),
    readiness: () => processesReadiness(),
  });
  const { bus, topics, registry } = inner.context;
  const busOverIpc = config.bus.kind === 'embedded';
  const processes = new Map<number, GatewayProcess>();
  const restarts = registry.counter(
    'sluice_gateway_process_restarts_total',
    'Gateway processes that died and were replaced.',
  );
  const alive = registry.gauge('sluice_gateway_processes', 'Gateway processes serving the port now.');
  registry.onCollect(() => alive.set(processes.size));
  let stopping = false;
  let url: string | undefined;
  let pause = 0;

  cluster.setupPrimary({ exec: WORKER_ENTRY, args: [], serialization: 'advanced' });

  const answer = (p: GatewayProcess, id: number, work: () => Promise<unknown>) =>
    work().then(
      (value) => p.worker.isConnected() && p.worker.send({ t: 'answer', id, value } satisfies ToWorker),
      (error) =>
        p.worker.isConnected() &&
        p.worker.send({ t: 'answer', id, error: ipcError(error) } satisfies ToWorker),
    );

  /** Every process's own metrics, this one's included, as one text. */
  async function allMetrics(): Promise<string> {
    const texts = await Promise.all([
      registry.render(),
      ...[...processes.values()].map((p) =>
        Promise.race([
          p.requests.ask<string>({ t: 'render' }),
          new Promise<string>((resolve) => setTimeout(() => resolve(''), RENDER_TIMEOUT_MS).unref()),
        ]).catch(() => ''),
      ),
    ]);
    return mergeMetrics(texts);
  }

  /**
   * The checks of every gateway process serving the port (its own bus producer, its OTLP/gRPC listener),
   * each named with its pid; a process that does not answer in time is itself unusable: the cluster
   * still hands it connections.
   */
  async function processesReadiness(): Promise<Readiness[]> {
    const each = [...serving].flatMap((id) => {
      const p = processes.get(id);
      return p === undefined ? [] : [p];
    });
    const answers = await Promise.all(
      each.map(async (p): Promise<Readiness[]> => {
        const pid = p.worker.process.pid;
        const silent: Readiness[] = [
          {
            component: 'gateway process',
            kind: `pid ${pid}`,
            result: failed(`no answer within ${PROBE_TIMEOUT_MS / 1000} s: hung or overloaded`),
          },
        ];
        const own = await Promise.race([
          p.requests.ask<Readiness[]>({ t: 'probe' }).catch(() => silent),
          new Promise<Readiness[]>((resolve) => setTimeout(() => resolve(silent), PROBE_TIMEOUT_MS).unref()),
        ]);
        return own === silent ? own : own.map((r) => ({ ...r, kind: `${r.kind} (gateway process ${pid})` }));
      }),
    );
    return answers.flat();
  }

  /**
   * The start: settled once `count` processes listen at once. One that exits by itself before it listens
   * (a bad config, an engine it cannot reach) fails the start, as a single process would; one killed by
   * a signal is replaced like any other, and the start waits for its replacement.
   */
  const serving = new Set<number>();
  const started = Promise.withResolvers<void>();

  function fork(): void {
    const worker = cluster.fork();
    const p: GatewayProcess = {
      worker,
      startedAt: Date.now(),
      requests: createRequests((message) => worker.send(message)),
    };
    processes.set(worker.id, p);
    // A send to a process killed a moment ago fails (EPIPE) before its exit is seen; unheard, that
    // error would end this process and the port with it. The exit below replaces the process.
    worker.on('error', (error) =>
      log.warn('a gateway process could not be reached', { pid: worker.process.pid, error: error.message }),
    );
    worker.on('message', (message: ToPrimary) => {
      switch (message.t) {
        case 'listening':
          url ??= message.url;
          serving.add(worker.id);
          if (serving.size >= count) started.resolve();
          break;
        case 'produce':
          void answer(p, message.id, () => bus.produce(message.topic, message.records));
          break;
        case 'ensureTopics':
          void answer(p, message.id, () => bus.ensureTopics(message.topics));
          break;
        case 'ready':
          void answer(p, message.id, () => bus.ready());
          break;
        case 'metrics':
          void answer(p, message.id, allMetrics);
          break;
        case 'rendered':
          p.requests.settle(message.id, message.text);
          break;
        case 'probed':
          p.requests.settle(message.id, message.results);
          break;
      }
    });
    worker.on('online', () =>
      worker.send({ t: 'start', config, innerUrl: inner.url ?? '', busOverIpc, topics } satisfies ToWorker),
    );
    worker.on('exit', (code, signal) => {
      const listened = serving.delete(worker.id);
      processes.delete(worker.id);
      p.requests.failAll(new Error('the gateway process exited'));
      if (stopping) return;
      // Settles only a start still waiting: later, a replacement that cannot start is retried below.
      if (!listened && signal === null)
        started.reject(new Error(`a gateway process exited while starting (code ${code})`));
      // Replaced, so the port keeps its capacity; a crash loop is slowed down rather than spun.
      const lived = Date.now() - p.startedAt;
      pause = lived >= STABLE_MS ? 0 : Math.min(MAX_RESTART_PAUSE_MS, Math.max(500, pause * 2));
      restarts.inc();
      log.warn('a gateway process died; starting another', {
        pid: worker.process.pid,
        code,
        signal,
        pause_ms: pause,
      });
      setTimeout(() => {
        if (!stopping) fork();
      }, pause).unref();
    });
  }

  async function stop(): Promise<void> {
    stopping = true;
    const exits = [...processes.values()].map(
      (p) =>
        new Promise<void>((resolve) =>
          p.worker.isDead() ? resolve() : p.worker.once('exit', () => resolve()),
        ),
    );
    for (const p of processes.values())
      if (p.worker.isConnected()) p.worker.send({ t: 'stop' } satisfies ToWorker);
    const drained = await Promise.race([
      Promise.all(exits).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS).unref()),
    ]);
    if (!drained) {
      log.error('gateway processes did not drain in time; killing them', { timeout_ms: DRAIN_TIMEOUT_MS });
      for (const p of processes.values()) p.worker.process.kill('SIGKILL');
    }
    // Only now: until the last gateway process is gone, its records still reach the bus through here.
    await inner.stop();
  }

  try {
    for (let i = 0; i < count; i++) fork();
    await Promise.race([
      started.promise,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error('gateway processes did not listen in time')),
          START_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  log.info('listening', { url, roles: config.roles, gateway_processes: count });
  return { url: url ?? null, context: inner.context, readiness: inner.readiness, stop };
}
