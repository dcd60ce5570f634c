/**
 * The query benchmark's data: realistic events (test/bench/pipeline/events.ts) of one tenant over the 24
 * hours before load time, indexed through the stores' own `index()` (the indexer's path) into OpenSearch
 * and SQLite, plus the `log_count` / `error_count` points the processor's built-in 1-minute windows would
 * have written for them (the web UI's histogram reads those), and a sample of correlation IDs to trace.
 */
import { indexTemplate, templateName } from '../../../backend/engines/search/opensearch/indexTemplate.ts';
import { openOpenSearchStore } from '../../../backend/engines/search/opensearch/openSearchStore.ts';
import { openSqliteSearchStore } from '../../../backend/engines/search/sqlite/sqliteSearchStore.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import type { MetricPoint, MetricStore } from '../../../core/ports/metricStore.ts';
import type { SearchStore } from '../../../core/ports/searchStore.ts';
import { parseTimestamp } from '../../../core/time/timestamp.ts';
import { eventChunks } from '../pipeline/events.ts';
import { countDocs, osRequest } from '../pipeline/openSearch.ts';
import { log } from '../pipeline/report.ts';

export const DAY = 86_400_000;
const MINUTE = 60_000;
/** Events per `realisticEvents` call (at most): the 24 h are covered by at least 48 overlapping calls of
 * about an hour each, so even a small data set has events in every range the mix asks for. */
const MAX_CHUNK = 100_000;
const INDEX_BATCH = 20_000;

export interface Dataset {
  store: 'opensearch' | 'sqlite';
  tenant: string;
  events: number;
  /** Event times lie in [from, to). */
  from: number;
  to: number;
  /** Correlation IDs of loaded events with the event's time, to trace. */
  traces: Array<{ id: string; ts: number }>;
  loadSeconds: number;
}

export interface LoadOptions {
  events: number;
  tenant: string;
  to: number;
  seed: number;
  metrics: MetricStore;
}

/** Per (service, minute): events and errors, as the built-in windows count them. */
function minuteCounts() {
  const counts = new Map<string, { logs: number; errors: number }>();
  return {
    add(event: LogEvent) {
      const minute = Math.floor(parseTimestamp(event.ts).ms / MINUTE) * MINUTE;
      const key = `${event.service}\u0000${minute}`;
      let c = counts.get(key);
      if (c === undefined) {
        c = { logs: 0, errors: 0 };
        counts.set(key, c);
      }
      c.logs++;
      if (event.level === 'error' || event.level === 'fatal') c.errors++;
    },
    points(tenant: string): MetricPoint[] {
      const points: MetricPoint[] = [];
      for (const [key, c] of counts) {
        const [service, minute] = key.split('\u0000');
        const labels = { tenant, service, partition: '0' };
        const bucket = Number(minute);
        points.push({ name: 'log_count', labels, bucket, value: c.logs });
        points.push({ name: 'error_count', labels, bucket, value: c.errors });
      }
      return points;
    },
  };
}

/**
 * Indexes the events through `store.index()`, generating the next chunk while the previous one's bulk
 * requests are in flight, and collects trace samples and metric counts on the way.
 */
async function loadInto(store: SearchStore, options: LoadOptions, kind: Dataset['store']): Promise<Dataset> {
  const from = options.to - DAY;
  const counts = minuteCounts();
  const traces: Dataset['traces'] = [];
  const started = performance.now();
  let pending: Promise<unknown> = Promise.resolve();
  let done = 0;
  let lastLog = started;
  for (const chunk of eventChunks({
    total: options.events,
    chunkSize: Math.min(MAX_CHUNK, Math.max(1000, Math.ceil(options.events / 48))),
    from,
    to: options.to,
    tenants: [options.tenant],
    seed: options.seed,
  })) {
    for (let i = 0; i < chunk.events.length; i++) {
      const event = chunk.events[i];
      counts.add(event);
      if (i % 997 === 0 && event.correlation_id !== undefined)
        traces.push({ id: event.correlation_id, ts: parseTimestamp(event.ts).ms });
    }
    await pending;
    pending = (async () => {
      for (let at = 0; at < chunk.events.length; at += INDEX_BATCH) {
        const result = await store.index(chunk.events.slice(at, at + INDEX_BATCH));
        if (result.rejected.length > 0)
          throw new Error(`${kind} refused ${result.rejected.length} events: ${result.rejected[0].reason}`);
      }
      done += chunk.events.length;
    })();
    // An unhandled rejection must not end the process before the loop awaits it.
    pending.catch(() => undefined);
    const now = performance.now();
    if (now - lastLog > 15_000) {
      lastLog = now;
      log(`  ${kind}: ${done.toLocaleString('en')} / ${options.events.toLocaleString('en')} events`);
    }
  }
  await pending;
  const points = counts.points(options.tenant);
  for (let at = 0; at < points.length; at += 5000) await options.metrics.upsert(points.slice(at, at + 5000));
  return {
    store: kind,
    tenant: options.tenant,
    events: options.events,
    from,
    to: options.to,
    traces,
    loadSeconds: (performance.now() - started) / 1000,
  };
}

/**
 * OpenSearch: the store's template (refresh off while loading, as any bulk load would), its index(),
 * then the template's own settings back (refresh 1 s) and one refresh.
 */
export async function loadOpenSearch(url: string, prefix: string, options: LoadOptions): Promise<Dataset> {
  const store = openOpenSearchStore({
    nodes: [url],
    indexPrefix: prefix,
    shards: 1,
    replicas: 0,
    log: silentLogger,
  });
  try {
    await store.init();
    const loading = indexTemplate({ prefix, shards: 1, replicas: 0 }) as {
      template: { settings: Record<string, unknown> };
    };
    loading.template.settings.refresh_interval = '-1';
    await osRequest(url, 'PUT', `/_index_template/${templateName(prefix)}`, loading);
    const dataset = await loadInto(store, options, 'opensearch');
    await store.init();
    await osRequest(url, 'PUT', `/${prefix}-*/_settings`, { index: { refresh_interval: '1s' } });
    const docs = await countDocs(url, prefix);
    if (docs !== options.events)
      throw new Error(`OpenSearch holds ${docs} documents, loaded ${options.events}`);
    return dataset;
  } finally {
    await store.close();
  }
}

export async function loadSqlite(path: string, options: LoadOptions): Promise<Dataset> {
  const store = openSqliteSearchStore({ path });
  try {
    await store.init();
    return await loadInto(store, options, 'sqlite');
  } finally {
    await store.close();
  }
}

/** Waits (bounded) until OpenSearch runs no merges, so queries do not compete with the load's tail. */
export async function waitForMerges(url: string, prefix: string, maxMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const stats = (await osRequest(
      url,
      'GET',
      `/${prefix}-*/_stats/merge?filter_path=_all.total.merges.current`,
    )) as {
      _all?: { total?: { merges?: { current?: number } } };
    };
    const current = stats._all?.total?.merges?.current ?? 0;
    if (current === 0 || performance.now() - started > maxMs) return (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
