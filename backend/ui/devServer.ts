/**
 * DEV ONLY: the web UI over the real query API routes, backed by in-memory sample data (dev/), for
 * working on the UI and taking screenshots without running a pipeline. Not used by any test.
 *
 *   node backend/ui/devServer.ts [--port 8099] [--key secret]
 *
 * Without --key the server is open (any or no key works), as Sluice is on loopback without auth.keys.
 * New requests arrive every ~0.7 s, so the live tail has something to show.
 */
import { parseArgs } from 'node:util';
import { Hono } from 'hono';
import { createKeyRing, sha256Hex } from '../../core/auth/apiKeys.ts';
import { apiErrorHandler, notFound } from '../../core/http/errorHandler.ts';
import { listen } from '../../core/http/listen.ts';
import { createRateLimiter } from '../../core/limits/rateLimiter.ts';
import { createLogger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import { mulberry32 } from '../../core/random/mulberry32.ts';
import { createQueryApi } from '../query/app.ts';
import { DEFAULT_QUERY_LIMITS } from '../query/params.ts';
import { DEFAULT_TAIL_LIMITS } from '../query/tailRoute.ts';
import { memoryFeed, memoryMetricStore, memorySearchStore, memoryTailHub } from './dev/memoryPorts.ts';
import { sampleHistory, sampleNoise, sampleRequest } from './dev/sampleEvents.ts';
import { mountUi } from './routes.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8099' }, key: { type: 'string' } },
});
const log = createLogger({ component: 'ui-dev' });
const now = Date.now();
const search = memorySearchStore();
const metrics = memoryMetricStore();
const feed = memoryFeed(search, metrics);
const history = sampleHistory(now, 7);
await feed(history);
const tail = memoryTailHub();
const registry = new MetricsRegistry();

const app = new Hono();
app.onError(apiErrorHandler(log));
app.notFound(notFound);
app.route(
  '/',
  createQueryApi({
    deps: {
      search,
      metrics,
      archive: null,
      tail,
      limits: DEFAULT_QUERY_LIMITS,
      hotRetentionMs: () => 30 * 86_400_000,
      aggregationOf: () => 'sum',
      now: () => Date.now(),
    },
    keys: createKeyRing(
      values.key === undefined
        ? []
        : [{ name: 'dev', key_sha256: sha256Hex(values.key), tenant: 'default', roles: ['read'] }],
    ),
    rateLimiter: createRateLimiter({ rate: 0, burst: 0 }),
    tailLimits: DEFAULT_TAIL_LIMITS,
    metrics: {
      requests: registry.counter('dev_requests_total', 'requests', ['route', 'status']),
      latency: registry.histogram('dev_request_seconds', 'latency', ['route']),
    },
  }),
);
mountUi(app);

const rng = mulberry32(99);
const timer = setInterval(() => {
  const fresh = rng() < 0.75 ? sampleRequest(Date.now(), rng) : [sampleNoise(Date.now(), rng)];
  // Events of a request are stamped slightly into the future; publish them as if they had all arrived.
  void feed(fresh);
  tail.publish(fresh);
}, 700);

const server = await listen(app.fetch, {
  address: `127.0.0.1:${values.port}`,
  hasKeys: values.key !== undefined,
});
log.info('UI dev server (sample data, not a real Sluice)', { url: server.url, events: history.length });
process.on('SIGINT', () => {
  clearInterval(timer);
  void server.close().then(() => process.exit(0));
});
