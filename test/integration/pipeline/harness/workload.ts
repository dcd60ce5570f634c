/**
 * The events a pipeline test sends, and what the stores must hold afterwards, computed here by brute
 * force and independently of the processor's window engine.
 *
 * Event times lie 2–3 hours in the past and cross an hour boundary: the archive's hours are then long
 * over (the archiver writes an hour's files once it ended plus 5 min of grace), and the files of two
 * hours are checked. The events go out in slices of 20 s of event time, so a bus partition never sees an
 * event more than 20 s older than one it already saw: with the 1 min allowed lateness no event is late,
 * and every count can be computed from the events alone. A last "clock" event per tenant and service,
 * 3 min after all others, moves every partition's clock past the windows' ends.
 */
import { randomUUID } from 'node:crypto';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';

/**
 * Events per pipeline run. The issue asks for 100,000; CI runs 20,000 to stay within its time budget
 * (the pipeline is the same, only longer); `SLUICE_PIPELINE_EVENTS=100000` runs the full size.
 */
export const PIPELINE_EVENTS = Number(process.env.SLUICE_PIPELINE_EVENTS ?? 20_000);
export const TENANTS = ['acme', 'globex', 'initech'] as const;
export const SERVICES = ['checkout', 'payments', 'search', 'auth'] as const;
const LEVELS = ['debug', 'info', 'info', 'info', 'info', 'warn', 'warn', 'error', 'error', 'fatal'] as const;
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Event time spanned by the workload, across an hour boundary. */
const SPAN_MS = 12 * MINUTE;
/** Event time covered by one round of requests (one per tenant). */
export const SLICE_MS = 20_000;

export interface SentEvent {
  id: string;
  ts: string;
  tsMs: number;
  tenant: string;
  service: string;
  level: string;
  message: string;
  duration_ms: number;
}

/** The configured windows the pipeline tests run beside the built-in metrics, one of each kind. */
export const WINDOWS = [
  { name: 'errors_2m', kind: 'tumbling', size: '2m', aggregate: 'count', where: 'level>=error' },
  { name: 'events_5m_hop_1m', kind: 'hopping', size: '5m', hop: '1m', aggregate: 'count' },
  { name: 'duration_max_2m', kind: 'sliding', size: '2m', aggregate: 'max', field: 'duration_ms' },
  // Open from each partition's first record (offset 0) until 11 min into the run: a restart before
  // then must replay the partition from its start.
  { name: 'events_15m', kind: 'tumbling', size: '15m', aggregate: 'count' },
] as const;

interface WindowShape {
  name: string;
  sizeMs: number;
  hopMs: number;
  where: (e: SentEvent) => boolean;
  reduce: 'count' | 'max';
}

const SHAPES: WindowShape[] = [
  { name: 'errors_2m', sizeMs: 2 * MINUTE, hopMs: 2 * MINUTE, where: isError, reduce: 'count' },
  { name: 'events_5m_hop_1m', sizeMs: 5 * MINUTE, hopMs: MINUTE, where: () => true, reduce: 'count' },
  // sliding without hop: hopping with a step of size/10.
  { name: 'duration_max_2m', sizeMs: 2 * MINUTE, hopMs: 12_000, where: () => true, reduce: 'max' },
  { name: 'events_15m', sizeMs: 15 * MINUTE, hopMs: 15 * MINUTE, where: () => true, reduce: 'count' },
];

function isError(e: SentEvent): boolean {
  return e.level === 'error' || e.level === 'fatal';
}

/** Start of the workload's event time: 10 min before the hour that began 2–3 hours ago ends. */
export function workloadStart(now = Date.now()): number {
  return Math.floor((now - 2 * HOUR) / HOUR) * HOUR - 10 * MINUTE;
}

/**
 * `count` events (plus one clock event per tenant and service) in send order: ascending time, spread
 * over 12 minutes, with levels, services and durations drawn from a seeded generator.
 */
export function makeWorkload(count: number, tenants: readonly string[], seed = 1): SentEvent[] {
  const next = mulberry32(seed);
  const start = workloadStart();
  const events: SentEvent[] = [];
  for (let i = 0; i < count; i++) {
    const tsMs = start + Math.floor((i * SPAN_MS) / count);
    const tenant = tenants[Math.floor(next() * tenants.length)];
    const service = SERVICES[Math.floor(next() * SERVICES.length)];
    const level = LEVELS[Math.floor(next() * LEVELS.length)];
    const duration = Math.round(next() * 5000) / 10;
    events.push(
      event(tsMs, tenant, service, level, `request ${i} for ${service} took ${duration} ms`, duration),
    );
  }
  const clock = start + SPAN_MS + 3 * MINUTE;
  for (const tenant of tenants)
    for (const service of SERVICES) events.push(event(clock, tenant, service, 'info', 'clock', 0));
  return events;
}

function event(
  tsMs: number,
  tenant: string,
  service: string,
  level: string,
  message: string,
  duration: number,
): SentEvent {
  return {
    id: randomUUID(),
    ts: new Date(tsMs).toISOString(),
    tsMs,
    tenant,
    service,
    level,
    message,
    duration_ms: duration,
  };
}

/** The record as a client sends it (the tenant comes from the key, never the body). */
export function toRecord(e: SentEvent): Record<string, unknown> {
  return {
    id: e.id,
    ts: e.ts,
    level: e.level,
    service: e.service,
    message: e.message,
    duration_ms: e.duration_ms,
  };
}

/**
 * Rounds of requests: each round covers SLICE_MS of event time and holds one request per tenant (the
 * tenant is the key's, so one request cannot mix tenants). Rounds are sent one after the other.
 */
export function rounds(events: readonly SentEvent[]): Array<Map<string, SentEvent[]>> {
  const out: Array<Map<string, SentEvent[]>> = [];
  let current = new Map<string, SentEvent[]>();
  let sliceEnd = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.tsMs >= sliceEnd) {
      if (current.size > 0) out.push(current);
      current = new Map();
      sliceEnd = Math.floor(e.tsMs / SLICE_MS) * SLICE_MS + SLICE_MS;
    }
    const list = current.get(e.tenant);
    if (list === undefined) current.set(e.tenant, [e]);
    else list.push(e);
  }
  if (current.size > 0) out.push(current);
  return out;
}

/** `name|tenant|service|bucket ms` → value, as the metric store must hold it (summed over partitions). */
export type MetricTable = Map<string, number>;

export function metricKey(name: string, tenant: string, service: string, bucket: number): string {
  return `${name}|${tenant}|${service}|${bucket}`;
}

/**
 * The built-in metrics (log_count, error_count, error_rate per 1 min) and the configured windows of
 * WINDOWS, by brute force: every event is put into every window that holds it.
 */
export function expectedMetrics(events: readonly SentEvent[], configured = true): MetricTable {
  const table: MetricTable = new Map();
  const add = (key: string, value: number, reduce: 'count' | 'max') => {
    const old = table.get(key);
    table.set(key, old === undefined ? value : reduce === 'count' ? old + value : Math.max(old, value));
  };
  for (const e of events) {
    const minute = Math.floor(e.tsMs / MINUTE) * MINUTE;
    add(metricKey('log_count', e.tenant, e.service, minute), 1, 'count');
    add(metricKey('error_count', e.tenant, e.service, minute), isError(e) ? 1 : 0, 'count');
    if (!configured) continue;
    for (const shape of SHAPES) {
      if (!shape.where(e)) continue;
      // Every epoch-aligned window start from one window length before ts up to ts; keep those holding ts.
      const first = Math.floor((e.tsMs - shape.sizeMs) / shape.hopMs) * shape.hopMs;
      for (let start = first; start <= e.tsMs; start += shape.hopMs) {
        if (e.tsMs < start + shape.sizeMs) {
          const value = shape.reduce === 'count' ? 1 : e.duration_ms;
          add(metricKey(shape.name, e.tenant, e.service, start), value, shape.reduce);
        }
      }
    }
  }
  for (const [key, logs] of table) {
    if (!key.startsWith('log_count|')) continue;
    const errors = table.get(`error_count|${key.slice('log_count|'.length)}`) ?? 0;
    table.set(`error_rate|${key.slice('log_count|'.length)}`, errors / logs);
  }
  return table;
}
