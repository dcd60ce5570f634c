/**
 * The query API as the server builds it (createQueryApi under an app with the API error handler, on a
 * real loopback port) over real embedded engines in a temp dir: the SQLite search store, the SQLite
 * metric store, the local Parquet archive and the embedded bus feeding a live-tail hub. A fixed clock
 * (`NOW`) keeps ranges and hot retention deterministic. Used by backend/query/*.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { createKeyRing, sha256Hex } from '../../../core/auth/apiKeys.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { apiErrorHandler, notFound } from '../../../core/http/errorHandler.ts';
import { listen } from '../../../core/http/listen.ts';
import { createRateLimiter, type RateLimit } from '../../../core/limits/rateLimiter.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { MetricsRegistry } from '../../../core/metrics/registry.ts';
import type { MetricStore } from '../../../core/ports/metricStore.ts';
import type { ObjectStore } from '../../../core/ports/objectStore.ts';
import type { SearchStore } from '../../../core/ports/searchStore.ts';
import { createLocalObjectStore } from '../../engines/archive/local/localObjectStore.ts';
import { type EmbeddedBus, openEmbeddedBus } from '../../engines/bus/embedded/embeddedBus.ts';
import { openSqliteMetricStore } from '../../engines/metrics/sqlite/sqliteMetricStore.ts';
import { openSqliteSearchStore } from '../../engines/search/sqlite/sqliteSearchStore.ts';
import type { ParquetArchive } from '../../sinks/archive/archive.ts';
import { createArchive } from '../../sinks/archive/archive.ts';
import { createQueryApi } from '../app.ts';
import type { QueryDeps } from '../deps.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../params.ts';
import { startTailHub, type TailHub } from '../tailHub.ts';
import { DEFAULT_TAIL_LIMITS, type TailLimits } from '../tailRoute.ts';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** The API's clock: noon UTC, so "the last hour" and "two days ago" never straddle odd boundaries. */
export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
export const ENRICHED = 'logs.enriched';

/** The key ring every test uses: a key per kind of caller. */
export const KEYS = {
  acme: 'acme-read-key',
  acmeWeb: 'acme-web-only-key',
  globex: 'globex-read-key',
  ingest: 'acme-ingest-key',
  operator: 'operator-key',
  acmeAdmin: 'acme-admin-key',
} as const;
export type KeyName = keyof typeof KEYS;

const KEY_CONFIG = [
  { name: 'acme-read', key_sha256: sha256Hex(KEYS.acme), tenant: 'acme', roles: ['read' as const] },
  {
    name: 'acme-web',
    key_sha256: sha256Hex(KEYS.acmeWeb),
    tenant: 'acme',
    roles: ['read' as const],
    services: ['web'],
  },
  { name: 'globex-read', key_sha256: sha256Hex(KEYS.globex), tenant: 'globex', roles: ['read' as const] },
  { name: 'acme-ingest', key_sha256: sha256Hex(KEYS.ingest), tenant: 'acme', roles: ['ingest' as const] },
  { name: 'ops', key_sha256: sha256Hex(KEYS.operator), roles: ['operator' as const] },
  { name: 'acme-admin', key_sha256: sha256Hex(KEYS.acmeAdmin), tenant: 'acme', roles: ['admin' as const] },
];

export interface HarnessOptions {
  limits?: Partial<QueryLimits>;
  /** Query rate per key; default unlimited so matrices never trip it. */
  rate?: RateLimit;
  hotRetentionMs?: number;
  tailLimits?: Partial<TailLimits>;
  /** Wraps the real search store (a test double for one test, e.g. a slow store). */
  wrapSearch?: (store: SearchStore) => SearchStore;
  /** Wraps the archive's object store (e.g. to count what a search reads). */
  wrapArchiveStore?: (store: ObjectStore) => ObjectStore;
}

export interface QueryHarness {
  url: string;
  dir: string;
  search: SearchStore;
  metrics: MetricStore;
  archive: ParquetArchive;
  bus: EmbeddedBus;
  tail: TailHub;
  /** GET with `Authorization: Bearer <KEYS[key]>` (no header when key is null, the raw text when a string not in KEYS). */
  get(path: string, key: KeyName | null | { raw: string }, init?: RequestInit): Promise<Response>;
  /** GET and parse JSON, failing with the body when the status is not `status`. */
  json<T = Record<string, unknown>>(path: string, key: KeyName | null, status?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startQueryHarness(options: HarnessOptions = {}): Promise<QueryHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-query-'));
  const realSearch = openSqliteSearchStore({ path: join(dir, 'search') });
  await realSearch.init();
  const search = options.wrapSearch?.(realSearch) ?? realSearch;
  const metrics = openSqliteMetricStore(join(dir, 'metrics.db'));
  await metrics.init();
  const archiveStore = createLocalObjectStore(join(dir, 'archive'));
  const archive = createArchive(options.wrapArchiveStore?.(archiveStore) ?? archiveStore);
  const bus = await openEmbeddedBus({ dir: join(dir, 'bus'), partitions: 2, fsync: 'never' });
  await bus.ensureTopics([ENRICHED]);
  const tail = await startTailHub(bus, ENRICHED, 'test-tail', silentLogger);
  const registry = new MetricsRegistry();
  const hot = options.hotRetentionMs ?? DAY;
  const deps: QueryDeps = {
    search,
    metrics,
    archive,
    tail,
    limits: { ...DEFAULT_QUERY_LIMITS, ...options.limits },
    hotRetentionMs: () => hot,
    aggregationOf: () => 'sum',
    now: () => NOW,
  };
  // Mounted the way backend/server/server.ts mounts it: under an app that turns ApiErrors into answers.
  const app = new Hono();
  app.onError(apiErrorHandler(silentLogger));
  app.notFound(notFound);
  app.route(
    '/',
    createQueryApi({
      deps,
      keys: createKeyRing(KEY_CONFIG),
      rateLimiter: createRateLimiter(options.rate ?? { rate: 0, burst: 0 }),
      tailLimits: { ...DEFAULT_TAIL_LIMITS, ...options.tailLimits },
      metrics: {
        requests: registry.counter('test_query_requests_total', 'requests', ['route', 'status']),
        latency: registry.histogram('test_query_seconds', 'latency', ['route']),
      },
    }),
  );
  const server = await listen(app.fetch, { address: '127.0.0.1:0', hasKeys: true });

  const get: QueryHarness['get'] = (path, key, init) => {
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Bearer ${typeof key === 'string' ? KEYS[key] : key.raw}`;
    return fetch(server.url + path, { ...init, headers: { ...headers, ...(init?.headers ?? {}) } });
  };
  return {
    url: server.url,
    dir,
    search: realSearch,
    metrics,
    archive,
    bus,
    tail,
    get,
    async json<T>(path: string, key: KeyName | null, status = 200): Promise<T> {
      const res = await get(path, key);
      const text = await res.text();
      if (res.status !== status)
        throw new Error(`GET ${path} answered ${res.status}, not ${status}: ${text}`);
      return JSON.parse(text) as T;
    },
    async close() {
      await server.close();
      await tail.close();
      await bus.close();
      await realSearch.close();
      await metrics.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let sequence = 0;

/** An event of the test world; ids sort by creation so ties on ts stay predictable. */
export function event(
  tenant: string,
  service: string,
  tsMs: number,
  message: string,
  extra: Partial<LogEvent> = {},
): LogEvent {
  sequence++;
  const ts = new Date(tsMs).toISOString();
  return {
    id: `${tenant}-${service}-${String(sequence).padStart(6, '0')}`,
    ts,
    observed_ts: ts,
    level: 'info',
    service,
    tenant,
    message,
    attrs: {},
    ...extra,
  };
}

/** Query string with from/to as ISO text. */
export function range(fromMs: number, toMs: number): string {
  return `from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(toMs).toISOString())}`;
}
