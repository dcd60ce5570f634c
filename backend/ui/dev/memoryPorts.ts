/**
 * DEV FIXTURE ONLY: the query API's ports (SearchStore, MetricStore, TailHub) in memory, so devServer.ts
 * can run the real query routes on sample data. Linear scans, no persistence, no limits: never use these
 * for anything but looking at the UI. They pass the same contract suites as the real stores
 * (memoryPorts.test.ts), so the UI behaves here as it does on SQLite or OpenSearch.
 */
import { LEVELS, type LogEvent } from '../../../core/event/types.ts';
import type { MetricPoint, MetricQuery, MetricSeries, MetricStore } from '../../../core/ports/metricStore.ts';
import type {
  IndexResult,
  RetentionScope,
  SearchPage,
  SearchRequest,
  SearchStore,
} from '../../../core/ports/searchStore.ts';
import { aggregateEvents } from '../../../core/query/aggregate/index.ts';
import { compileToPredicate, type QueryNode } from '../../../core/query/index.ts';
import { compareEvents } from '../../query/archiveSearch.ts';
import type { TailHub, TailSubscriber } from '../../query/tailHub.ts';
import {
  alignDown,
  buildSeries,
  canonicalLabels,
  checkPoints,
  type StepRow,
} from '../../sinks/metrics/series.ts';
import { dayEndsBy, dayLabel, dayOf } from '../../sinks/search/days.ts';

const MINUTE = 60_000;

const visible = (e: LogEvent, tenant: string | null, services?: string[]) =>
  (tenant === null || e.tenant === tenant) && (services === undefined || services.includes(e.service));

/** Why a store could not keep `event`, as the real stores refuse it (unreadable time, no tenant, unknown level). */
function unstorable(event: LogEvent): string | null {
  if (typeof event.tenant !== 'string' || event.tenant === '') return 'event has no tenant';
  if (Number.isNaN(Date.parse(event.ts)))
    return `ts ${JSON.stringify(String(event.ts).slice(0, 64))} is not a time`;
  if (!(LEVELS as readonly string[]).includes(event.level))
    return `level ${JSON.stringify(event.level)} is unknown`;
  return null;
}

/** A SearchStore over a Map by event id (so indexing is idempotent), sorted on demand for searches. */
export function memorySearchStore(): SearchStore {
  const byId = new Map<string, LogEvent>();
  let sorted: LogEvent[] | null = null;
  const events = () => (sorted ??= [...byId.values()].sort(compareEvents));
  return {
    init: async () => {},
    async index(batch) {
      const rejected: IndexResult['rejected'] = [];
      for (const event of batch) {
        const reason = unstorable(event);
        if (reason === null) byId.set(event.id, event);
        else rejected.push({ event, reason });
      }
      sorted = null;
      return { indexed: batch.length - rejected.length, rejected };
    },
    async aggregate(r) {
      const matches = r.query === undefined ? () => true : compileToPredicate(r.query as QueryNode);
      const inRange = (e: LogEvent) => {
        const ms = Date.parse(e.ts);
        return ms >= r.range.from && ms < r.range.to && visible(e, r.tenant, r.services) && matches(e);
      };
      return aggregateEvents(r.plan, events().filter(inRange));
    },
    async search(r: SearchRequest): Promise<SearchPage> {
      const matches = r.query === undefined ? () => true : compileToPredicate(r.query as QueryNode);
      const sign = r.order === 'asc' ? 1 : -1;
      const after = r.after === undefined ? undefined : ({ ts: r.after.ts, id: r.after.id } as LogEvent);
      const hits = events().filter((e) => {
        const ms = Date.parse(e.ts);
        return ms >= r.range.from && ms < r.range.to && visible(e, r.tenant, r.services) && matches(e);
      });
      if (sign < 0) hits.reverse();
      const page = (
        after === undefined ? hits : hits.filter((e) => sign * compareEvents(e, after) > 0)
      ).slice(0, r.limit);
      const bound = r.totalBound ?? Number.POSITIVE_INFINITY;
      const last = page.at(-1);
      return {
        hits: page,
        total:
          hits.length > bound ? { value: bound, relation: 'gte' } : { value: hits.length, relation: 'eq' },
        next: page.length === r.limit && last !== undefined ? { ts: last.ts, id: last.id } : null,
      };
    },
    async trace(tenant, id, range, limit, services) {
      return events()
        .filter((e) => {
          const ms = Date.parse(e.ts);
          return e.correlation_id === id && ms >= range.from && ms < range.to && visible(e, tenant, services);
        })
        .slice(0, limit);
    },
    // Whole (tenant, UTC day) partitions, as the real stores drop them.
    async dropBefore(time, scope: RetentionScope = {}) {
      const spared = new Set(scope.exceptTenants ?? []);
      const doomed = new Map<string, string[]>();
      for (const e of byId.values()) {
        const day = dayOf(Date.parse(e.ts));
        if (!dayEndsBy(day, time) || spared.has(e.tenant)) continue;
        if (scope.tenant !== undefined && e.tenant !== scope.tenant) continue;
        const name = `memory ${e.tenant} ${dayLabel(day)}`;
        doomed.set(name, [...(doomed.get(name) ?? []), e.id]);
      }
      if (scope.dryRun !== true) {
        for (const ids of doomed.values()) for (const id of ids) byId.delete(id);
        sorted = null;
      }
      return [...doomed.keys()].sort();
    },
    close: async () => {},
  };
}

/** A MetricStore over a Map keyed as the real stores' primary key (name, canonical labels, bucket). */
export function memoryMetricStore(): MetricStore {
  const points = new Map<string, MetricPoint>();
  return {
    init: async () => {},
    async upsert(batch) {
      checkPoints(batch);
      for (const p of batch) {
        const labels = canonicalLabels(p.labels);
        points.set(`${p.name}\u0000${labels}\u0000${Math.trunc(p.bucket)}`, {
          ...p,
          labels: JSON.parse(labels),
          bucket: Math.trunc(p.bucket),
        });
      }
    },
    async query(q: MetricQuery): Promise<MetricSeries[]> {
      const step = Math.max(1, Math.trunc(q.step));
      const from = alignDown(q.range.from, step);
      const rows = new Map<string, StepRow>();
      for (const p of points.values()) {
        if (p.name !== q.name || p.bucket < from || p.bucket >= q.range.to) continue;
        if (Object.entries(q.labels).some(([k, v]) => p.labels[k] !== v)) continue;
        const t = alignDown(p.bucket, step);
        const key = `${canonicalLabels(p.labels)}\u0000${t}`;
        const row = rows.get(key);
        if (row === undefined)
          rows.set(key, { labels: p.labels, t, sum: p.value, count: 1, max: p.value, min: p.value });
        else {
          row.sum += p.value;
          row.count++;
          row.max = Math.max(row.max, p.value);
          row.min = Math.min(row.min, p.value);
        }
      }
      return buildSeries([...rows.values()], { ...q, step });
    },
    async dropBefore(time, options) {
      const doomed = [...points].filter(([, p]) => p.bucket < time).map(([key]) => key);
      if (doomed.length === 0) return [];
      if (!options?.dryRun) for (const key of doomed) points.delete(key);
      return [`memory metric points: ${doomed.length} before ${new Date(time).toISOString()}`];
    },
    close: async () => {},
  };
}

/**
 * Feeds events to both stores as the pipeline would: indexed for search, and counted per minute into
 * `log_count` and `error_count` by (tenant, service). Counts are kept here, so events arriving later in
 * a minute raise its points (upserts overwrite).
 */
export function memoryFeed(search: SearchStore, metrics: MetricStore) {
  const counts = new Map<string, MetricPoint>();
  const bump = (name: string, event: LogEvent, bucket: number) => {
    const key = `${name}\u0000${event.tenant}\u0000${event.service}\u0000${bucket}`;
    const point = counts.get(key) ?? {
      name,
      labels: { tenant: event.tenant, service: event.service },
      bucket,
      value: 0,
    };
    point.value++;
    counts.set(key, point);
    return point;
  };
  return async (events: LogEvent[]): Promise<void> => {
    await search.index(events);
    const changed = new Set<MetricPoint>();
    for (const event of events) {
      const bucket = alignDown(Date.parse(event.ts), MINUTE);
      changed.add(bump('log_count', event, bucket));
      if (event.level === 'error' || event.level === 'fatal') changed.add(bump('error_count', event, bucket));
    }
    await metrics.upsert([...changed]);
  };
}

/** A tail hub fed by `publish` instead of a bus consumer. */
export function memoryTailHub(): TailHub & { publish(events: LogEvent[]): void } {
  const subscribers = new Set<TailSubscriber>();
  return {
    subscribe(s) {
      subscribers.add(s);
      return () => subscribers.delete(s);
    },
    count(which) {
      let n = 0;
      for (const s of subscribers) if (which(s)) n++;
      return n;
    },
    close: async () => {},
    publish(events) {
      for (const s of subscribers) {
        const mine = events.filter((e) => visible(e, s.scope.tenant, s.scope.services) && s.matches(e));
        if (mine.length > 0) s.push(mine);
      }
    },
  };
}
