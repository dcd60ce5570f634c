import { Hono } from 'hono';
import type { KeyRing } from '../../core/auth/apiKeys.ts';
import { retryLater } from '../../core/http/apiError.ts';
import { type AuthEnv, requireRole } from '../../core/http/auth.ts';
import type { RateLimiter } from '../../core/limits/rateLimiter.ts';
import type { Counter, Histogram } from '../../core/metrics/registry.ts';
import { aggregateRoute } from './aggregateRoute.ts';
import { contextRoute } from './contextRoute.ts';
import type { QueryDeps } from './deps.ts';
import { metricsRoute } from './metricsRoute.ts';
import { searchRoute } from './searchRoute.ts';
import { type TailLimits, tailRoute } from './tailRoute.ts';
import { traceRoute } from './traceRoute.ts';

export interface QueryApiOptions {
  deps: QueryDeps;
  keys: KeyRing;
  /** Requests per second per API key. */
  rateLimiter: RateLimiter;
  tailLimits: TailLimits;
  metrics: { requests: Counter; latency: Histogram };
}

/** The read side of contracts.md §2: search, aggregate, trace, tail, metrics. Every route needs the read role. */
export function createQueryApi(options: QueryApiOptions): Hono<AuthEnv> {
  const { deps } = options;
  const app = new Hono<AuthEnv>();
  app.use('/api/v1/*', requireRole(options.keys, ['read']));
  app.use('/api/v1/*', async (c, next) => {
    const principal = c.get('principal');
    const wait = options.rateLimiter.take(principal.name, 1);
    if (wait > 0)
      throw retryLater(
        429,
        'rate_limited',
        `key "${principal.name}" is over its query rate; retry later`,
        wait,
      );
    const started = performance.now();
    await next();
    const route = c.req.routePath ?? 'unmatched';
    options.metrics.requests.inc({ route, status: String(c.res.status) });
    options.metrics.latency.observe((performance.now() - started) / 1000, { route });
  });
  app.get('/api/v1/search', (c) => searchRoute(c, deps));
  app.get('/api/v1/aggregate', (c) => aggregateRoute(c, deps));
  app.post('/api/v1/aggregate', (c) => aggregateRoute(c, deps));
  app.get('/api/v1/trace/:correlation_id', (c) => traceRoute(c, deps));
  app.get('/api/v1/tail', (c) => tailRoute(c, deps, options.tailLimits));
  app.get('/api/v1/metrics', (c) => metricsRoute(c, deps));
  app.get('/api/v1/context/:id', (c) => contextRoute(c, deps));
  return app;
}
