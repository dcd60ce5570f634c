import { hostname } from 'node:os';
import { createKeyRing } from '../../core/auth/apiKeys.ts';
import { createRateLimiter } from '../../core/limits/rateLimiter.ts';
import { createAlertsRoutes } from '../alerts/startAlerting.ts';
import { openAlertStore } from '../alerts/store/openAlertStore.ts';
import type { ServerConfig } from '../config/schema.ts';
import { createQueryApi } from '../query/app.ts';
import type { QueryDeps } from '../query/deps.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../query/params.ts';
import { startTailHub } from '../query/tailHub.ts';
import { DEFAULT_TAIL_LIMITS } from '../query/tailRoute.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';
import { mountUi } from '../ui/routes.ts';

/**
 * The query role: search, trace, tail and metrics over the stores, the web UI, and the alerts API (rules
 * and alert states in the alert store; the `alerts` role evaluates them).
 */
export async function startRole(ctx: ServerContext): Promise<RoleHandle> {
  const { config, registry } = ctx;
  const log = ctx.log.child({ role: 'query' });
  const search = await ctx.stores.search();
  const metrics = await ctx.stores.metrics();
  const archive = ctx.stores.archive();
  const tail = await startTailHub(
    ctx.bus,
    ctx.topics.enriched,
    `${ctx.topics.prefix}sluice-tail-${hostname()}-${process.pid}`,
    log,
  );
  const windowKinds = new Map(config.processing.windows.map((w) => [w.name, w.aggregate]));
  const deps: QueryDeps = {
    search,
    metrics,
    archive,
    tail,
    limits: queryLimitsOf(config.limits.query),
    hotRetentionMs: (tenant) =>
      (tenant === null ? undefined : config.retention.tenants[tenant]?.search) ?? config.retention.search,
    aggregationOf: (name) => {
      const kind = windowKinds.get(name);
      if (kind === undefined || kind === 'count' || kind === 'count_by' || kind === 'sum') return 'sum';
      // Points of one service come from one partition (logs.raw is keyed by tenant+service), so max
      // picks that partition's value; across a coarse step it is the worst of the buckets.
      return kind === 'min' ? 'min' : 'max';
    },
    now: Date.now,
  };
  const api = createQueryApi({
    deps,
    keys: createKeyRing(config.auth.keys, config.auth.default_tenant),
    rateLimiter: createRateLimiter({
      rate: config.limits.query.per_key_rate,
      burst: config.limits.query.per_key_burst,
    }),
    tailLimits: DEFAULT_TAIL_LIMITS,
    metrics: {
      requests: registry.counter('sluice_query_requests_total', 'Query API requests by route and status.', [
        'route',
        'status',
      ]),
      latency: registry.histogram('sluice_query_request_duration_seconds', 'Query API latency.', ['route']),
    },
  });
  const alertStore = await openAlertStore(config, log);
  let alertsApi: ReturnType<typeof createAlertsRoutes>;
  try {
    alertsApi = createAlertsRoutes({ config, search, store: alertStore, log, registry });
  } catch (error) {
    await alertStore.close();
    await tail.close();
    throw error;
  }
  return {
    name: 'query',
    mount(app) {
      app.route('/', api);
      app.route('/', alertsApi);
      mountUi(app);
    },
    async stop() {
      await alertStore.close();
      await tail.close();
    },
  };
}

/** The query API's limits from `limits.query`; depth and term counts keep their defaults. */
export function queryLimitsOf(query: ServerConfig['limits']['query']): QueryLimits {
  return {
    ...DEFAULT_QUERY_LIMITS,
    maxRangeMs: query.max_range,
    maxLimit: query.max_limit,
    defaultLimit: Math.min(DEFAULT_QUERY_LIMITS.defaultLimit, query.max_limit),
    maxQueryLength: query.max_query_length,
    totalBound: query.total_bound,
    timeoutMs: query.timeout,
  };
}
