/**
 * DEV FIXTURE ONLY: the query API's ports (SearchStore, MetricStore, TailHub) over an array in memory,
 * so devServer.ts can run the real query routes on sample data. Linear scans, no persistence, no limits:
 * never use these for anything but looking at the UI.
 */
import type { LogEvent } from '../../../core/event/types.ts';
import type { MetricQuery, MetricSeries, MetricStore } from '../../../core/ports/metricStore.ts';
import type { SearchPage, SearchRequest, SearchStore } from '../../../core/ports/searchStore.ts';
import { compileToPredicate, type QueryNode } from '../../../core/query/index.ts';
import { compareEvents } from '../../query/archiveSearch.ts';
import type { TailHub, TailSubscriber } from '../../query/tailHub.ts';

export interface MemoryEvents {
  events: LogEvent[];
  add(events: LogEvent[]): void;
}

export function memoryEvents(initial: LogEvent[]): MemoryEvents {
  const events = [...initial].sort(compareEvents);
  return {
    events,
    add(more) {
      events.push(...more);
      events.sort(compareEvents);
    },
  };
}

const visible = (e: LogEvent, tenant: string | null, services?: string[]) =>
  (tenant === null || e.tenant === tenant) && (services === undefined || services.includes(e.service));

export function memorySearchStore(data: MemoryEvents): SearchStore {
  return {
    init: async () => {},
    index: async (events) => {
      data.add(events);
      return { indexed: events.length, rejected: [] };
    },
    async search(r: SearchRequest): Promise<SearchPage> {
      const matches = r.query === undefined ? () => true : compileToPredicate(r.query as QueryNode);
      const sign = r.order === 'asc' ? 1 : -1;
      const after = r.after === undefined ? undefined : ({ ts: r.after.ts, id: r.after.id } as LogEvent);
      const hits = data.events.filter((e) => {
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
      return data.events
        .filter((e) => {
          const ms = Date.parse(e.ts);
          return e.correlation_id === id && ms >= range.from && ms < range.to && visible(e, tenant, services);
        })
        .slice(0, limit);
    },
    dropBefore: async () => [],
    close: async () => {},
  };
}

/** log_count and error_count per (tenant, service), computed from the events on each query. */
export function memoryMetricStore(data: MemoryEvents): MetricStore {
  return {
    init: async () => {},
    upsert: async () => {},
    async query(q: MetricQuery): Promise<MetricSeries[]> {
      if (q.name !== 'log_count' && q.name !== 'error_count') return [];
      const first = Math.floor(q.range.from / q.step) * q.step;
      const steps = Math.ceil((q.range.to - first) / q.step);
      const bySeries = new Map<string, { labels: Record<string, string>; values: Array<number | null> }>();
      for (const e of data.events) {
        const ms = Date.parse(e.ts);
        if (ms < first || ms >= q.range.to) continue;
        if (q.labels.tenant !== undefined && e.tenant !== q.labels.tenant) continue;
        if (q.labels.service !== undefined && e.service !== q.labels.service) continue;
        const key = `${e.tenant}\u0000${e.service}`;
        let s = bySeries.get(key);
        if (s === undefined) {
          s = { labels: { service: e.service, tenant: e.tenant }, values: new Array(steps).fill(null) };
          bySeries.set(key, s);
        }
        const i = Math.floor((ms - first) / q.step);
        const counts = q.name === 'log_count' || e.level === 'error' || e.level === 'fatal';
        s.values[i] = (s.values[i] ?? 0) + (counts ? 1 : 0);
      }
      return [...bySeries.values()]
        .sort((a, b) => a.labels.service.localeCompare(b.labels.service))
        .map((s) => ({
          labels: s.labels,
          points: s.values.map((v, i): [number, number | null] => [first + i * q.step, v]),
        }));
    },
    dropBefore: async () => [],
    close: async () => {},
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
    count(tenant) {
      let n = 0;
      for (const s of subscribers) if (s.scope.tenant === tenant) n++;
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
