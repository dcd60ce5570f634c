import type { LogEvent } from '../../../../core/event/types.ts';
import type { MetricPoint } from '../../../../core/ports/metricStore.ts';
import type { AggregateSpec, WindowEngineOptions } from '../types.ts';
import type { StreamRecord } from './randomStream.ts';

/**
 * The windows' answer computed the slow, obvious way, sharing no code with the engine: replay the
 * records keeping the max event time seen; an event is dropped from a window when, on arrival, that
 * max is at least the window's end + allowed lateness + late-update period; every window's final value
 * is then recomputed from the full list of events it kept. Returns point key → value.
 */
export function referencePoints(
  records: readonly StreamRecord[],
  options: WindowEngineOptions,
): Map<string, number> {
  const lateness = options.allowedLatenessMs;
  const updates = options.lateUpdatesMs ?? 0;
  const maxFuture = options.maxFutureMs ?? 60_000;
  const partition = String(options.partition);
  const families: Family[] = [];
  if (options.builtinMetrics !== false) {
    const size = options.builtinWindowMs ?? 60_000;
    families.push({ name: 'builtin', size, hop: size, lateness, updates, read: () => 1, spec: undefined });
  }
  for (const spec of options.aggregates ?? []) {
    const hop = spec.hopMs ?? (spec.kind === 'tumbling' ? spec.sizeMs : Math.round(spec.sizeMs / 10));
    families.push({
      name: spec.name,
      size: spec.sizeMs,
      hop,
      lateness: spec.allowedLatenessMs ?? lateness,
      updates: spec.lateUpdatesMs ?? updates,
      spec,
      read: readerFor(spec),
    });
  }

  const kept = new Map<
    string,
    { family: Family; start: number; tenant: string; service: string; items: Kept[] }
  >();
  const late = new Map<string, number>();
  let clock = Number.NEGATIVE_INFINITY;
  for (const { event } of records) {
    let ts = Date.parse(event.ts);
    if (Number.isNaN(ts)) continue;
    const observedLimit = Date.parse(event.observed_ts) + maxFuture;
    if (ts > clock + maxFuture && ts > observedLimit) ts = observedLimit;
    for (const family of families) {
      if (family.spec?.where && !family.spec.where(event)) continue;
      const input = family.read(event);
      if (input === undefined) continue;
      let dropped = false;
      for (
        let k = Math.floor((ts - family.size) / family.hop) - 1;
        k <= Math.floor(ts / family.hop) + 1;
        k++
      ) {
        const start = k * family.hop;
        if (!(start <= ts && ts < start + family.size)) continue;
        if (start + family.size + family.lateness + family.updates <= clock) {
          dropped = true;
          continue;
        }
        const key = `${family.name}|${start}|${event.tenant}|${event.service}`;
        let window = kept.get(key);
        if (!window) {
          window = { family, start, tenant: event.tenant, service: event.service, items: [] };
          kept.set(key, window);
        }
        window.items.push({ event, input });
      }
      if (dropped) {
        const key = pointKey({
          name: 'late_events',
          labels: { tenant: event.tenant, service: event.service, partition, aggregate: family.name },
          bucket: Math.floor(clock / 60_000) * 60_000,
          value: 0,
        });
        late.set(key, (late.get(key) ?? 0) + 1);
      }
    }
    clock = Math.max(clock, ts);
  }

  const out = new Map<string, number>(late);
  for (const { family, start, tenant, service, items } of kept.values()) {
    const labels = { tenant, service, partition };
    const put = (name: string, value: number, extra: Record<string, string> = {}) =>
      out.set(pointKey({ name, labels: { ...labels, ...extra }, bucket: start, value }), value);
    if (family.spec === undefined) {
      const errors = items.filter(({ event }) => event.level === 'error' || event.level === 'fatal').length;
      put('log_count', items.length);
      put('error_count', errors);
      put('error_rate', errors / items.length);
      continue;
    }
    const spec = family.spec;
    const numbers = items.map(({ input }) => input as number);
    switch (spec.aggregate) {
      case 'count':
        put(spec.name, items.length);
        break;
      case 'sum':
        put(
          spec.name,
          numbers.reduce((a, b) => a + b, 0),
        );
        break;
      case 'avg':
        put(spec.name, numbers.reduce((a, b) => a + b, 0) / numbers.length);
        break;
      case 'min':
        put(spec.name, Math.min(...numbers));
        break;
      case 'max':
        put(spec.name, Math.max(...numbers));
        break;
      case 'p50':
      case 'p95':
      case 'p99':
        put(spec.name, nearestRank(numbers, Number(spec.aggregate.slice(1)) / 100));
        break;
      case 'count_by': {
        const label = spec.by!.replace(/^attrs\./, '');
        const values = items.map(({ input }) => input as string);
        let named = 0;
        for (const value of everInTop(values, spec.top ?? 10)) {
          const count = values.filter((v) => v === value).length;
          named += count;
          put(spec.name, count, { [label]: value });
        }
        put(spec.name, values.length - named, { [label]: '__other__' });
        break;
      }
    }
  }
  return out;
}

interface Family {
  name: string;
  size: number;
  hop: number;
  lateness: number;
  updates: number;
  spec: AggregateSpec | undefined;
  read: (event: LogEvent) => number | string | undefined;
}

interface Kept {
  event: LogEvent;
  input: number | string;
}

export function pointKey(point: MetricPoint): string {
  const labels = Object.keys(point.labels)
    .sort()
    .map((key) => `${key}=${point.labels[key]}`)
    .join(',');
  return `${point.name}{${labels}}@${point.bucket}`;
}

function readerFor(spec: AggregateSpec): (event: LogEvent) => number | string | undefined {
  if (spec.aggregate === 'count') return () => 1;
  const field = (spec.aggregate === 'count_by' ? spec.by! : spec.field!).replace(/^attrs\./, '');
  return (event) => {
    const value =
      field in event && field !== 'attrs'
        ? (event as unknown as Record<string, unknown>)[field]
        : event.attrs[field];
    if (spec.aggregate === 'count_by')
      return value === undefined || value === null ? undefined : String(value);
    return typeof value === 'number' ? value : undefined;
  };
}

function nearestRank(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

/** Every value that was among the `top` most frequent (ties: first seen) after some prefix of `values`. */
export function everInTop(values: readonly string[], top: number): Set<string> {
  const ever = new Set<string>();
  for (let end = 1; end <= values.length; end++) {
    const counts = new Map<string, number>();
    for (const value of values.slice(0, end)) counts.set(value, (counts.get(value) ?? 0) + 1);
    // Map keeps first-seen order and sort is stable, so ties keep first appearance.
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    for (const [value] of ranked.slice(0, top)) ever.add(value);
  }
  return ever;
}
