import { createLogger, type Logger } from '../../../core/log/logger.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../../../core/metrics/registry.ts';
import { quietKnownWarnings } from '../quietWarnings.ts';
import { type RunningServer, startServer } from '../server.ts';
import { fromIpcError, ipcBus } from './ipcBus.ts';
import { createRequests, type ToPrimary, type ToWorker } from './messages.ts';
import { passTo } from './passTo.ts';

/**
 * A gateway process of a port shared by several (`listen.processes`; started by primary.ts through
 * node:cluster, never by hand): the gateway role alone, on the primary's config, sharing its port. It
 * serves ingest; /metrics answers for every process of the port, and anything else goes to the primary.
 * SIGTERM, SIGINT, the primary's stop or the primary's death drain it: the listener closes, requests in
 * progress finish (their records reach the bus), then it exits.
 */
quietKnownWarnings();
const send = (message: ToPrimary) => process.send?.(message);
const requests = createRequests<Extract<ToPrimary, { id: number }>>(send);
let server: RunningServer | undefined;
let log: Logger = createLogger({ level: 'info', component: 'sluice' });
let stopping: Promise<void> | undefined;

function stop(reason: string): Promise<void> {
  stopping ??= (async () => {
    log.info('gateway process stopping', { reason });
    try {
      await server?.stop();
    } catch (error) {
      log.error('gateway process did not stop cleanly', { error: (error as Error).message });
    }
    process.exit(0);
  })();
  return stopping;
}

async function start(message: Extract<ToWorker, { t: 'start' }>): Promise<void> {
  const { config, innerUrl } = message;
  log = createLogger({ level: config.log.level, component: 'sluice' }).child({ pid: process.pid });
  server = await startServer({ ...config, roles: ['gateway'] }, log, {
    listening: 'gateway process listening',
    bus: message.busOverIpc ? { bus: ipcBus(requests.ask), topics: message.topics } : undefined,
    before: (app) => {
      app.get('/metrics', async (c) =>
        c.body(await requests.ask<string>({ t: 'metrics' }), 200, {
          'content-type': PROMETHEUS_CONTENT_TYPE,
        }),
      );
      // Readiness is the primary's: it holds the bus (or knows it) and every store its roles use, and
      // asks every gateway process for its own checks (its producer, its listeners).
      app.get('/readyz', passTo(innerUrl));
    },
    after: (app) => {
      app.all('*', passTo(innerUrl));
    },
  });
  send({ t: 'listening', url: server.url ?? '' });
}

process.on('message', (message: ToWorker) => {
  switch (message.t) {
    case 'start':
      start(message).catch((error) => {
        log.error('gateway process failed to start', { error: (error as Error).message });
        process.exit(1);
      });
      break;
    case 'answer':
      requests.settle(
        message.id,
        message.value,
        message.error === undefined ? undefined : fromIpcError(message.error),
      );
      break;
    case 'probe':
      void (server?.readiness() ?? Promise.resolve([])).then((results) =>
        send({ t: 'probed', id: message.id, results }),
      );
      break;
    case 'render':
      void (server?.context.registry.render() ?? Promise.resolve('')).then((text) =>
        send({ t: 'rendered', id: message.id, text }),
      );
      break;
    case 'stop':
      void stop('the primary stops');
      break;
  }
});
// The primary is gone (killed): nobody restarts or stops this process any more, so it drains and exits.
process.on('disconnect', () => {
  requests.failAll(new Error('the primary process is gone'));
  void stop('the primary process is gone');
});
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
