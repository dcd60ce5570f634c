/**
 * The events and metric points the query API tests read: two tenants sharing service names, words and
 * one correlation ID (so any leak between them shows), recent events in the search store and events two
 * days old in the archive only (older than the harness's one-day hot retention).
 */
import type { LogEvent } from '../../../core/event/types.ts';
import type { MetricPoint } from '../../../core/ports/metricStore.ts';
import { DAY, event, HOUR, type KeyName, NOW, type QueryHarness } from './queryHarness.ts';

export interface World {
  hot: LogEvent[];
  archived: LogEvent[];
  points: MetricPoint[];
}

export const TENANTS = ['acme', 'globex'] as const;
const SERVICES: Record<string, string[]> = { acme: ['web', 'api', 'worker'], globex: ['web', 'api'] };

/** Builds and stores the world: hot events indexed, archived ones written as Parquet (twice, as a replay would). */
export async function seedWorld(h: QueryHarness): Promise<World> {
  const hot: LogEvent[] = [];
  const archived: LogEvent[] = [];
  for (const tenant of TENANTS) {
    SERVICES[tenant].forEach((service, s) => {
      for (let i = 0; i < 6; i++) {
        const ts = NOW - 50 * 60_000 + i * 7 * 60_000 + s * 1000;
        const error = i % 3 === 0;
        hot.push(
          event(
            tenant,
            service,
            ts,
            error ? 'payment gateway timeout after 3000 ms' : `user login ok attempt ${i}`,
            {
              level: error ? 'error' : i % 2 === 0 ? 'debug' : 'info',
              attrs: { 'http.status': error ? 504 : 200, 'order.id': `A-${i}` },
              correlation_id: i === 1 ? 'corr-shared' : `corr-${tenant}-${i}`,
            },
          ),
        );
      }
      archived.push(
        event(tenant, service, NOW - 2 * DAY + s * 60_000, 'archived nightly export finished', {
          correlation_id: 'corr-old',
          attrs: { batch: s },
        }),
        event(tenant, service, NOW - 2 * DAY - HOUR + s * 60_000, 'archived nightly export started', {
          level: 'warn',
          correlation_id: 'corr-old',
        }),
      );
    });
  }
  await h.search.index(hot);
  // A stale copy of old events in the search store (retention has not run yet): source=auto must read
  // that part of the range from the archive only, so they are never returned twice.
  await h.search.index(archived.slice(0, 2));
  await writeArchive(h, archived);
  const points = metricPoints();
  await h.metrics.upsert(points);
  return { hot, archived, points };
}

/** Each tenant-hour as its own file, written twice under different offsets: a replay the reader must dedupe. */
async function writeArchive(h: QueryHarness, events: LogEvent[]): Promise<void> {
  const groups = new Map<string, LogEvent[]>();
  for (const e of events) {
    const hour = Math.floor(Date.parse(e.ts) / HOUR) * HOUR;
    const k = `${e.tenant}|${hour}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  let offset = 0n;
  for (const [k, rows] of groups) {
    const [tenant, hour] = k.split('|');
    for (const copy of [0, 1]) {
      await h.archive.write(
        {
          tenant,
          hour: Number(hour),
          busPartition: copy,
          firstOffset: offset,
          lastOffset: offset + BigInt(rows.length - 1),
        },
        rows,
      );
      offset += BigInt(rows.length);
    }
  }
}

/**
 * log_count and error_count per tenant, service and bus partition, one-minute buckets over the last
 * hour, with values that make a sum of ratios differ from a ratio of sums.
 */
function metricPoints(): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const tenant of TENANTS) {
    SERVICES[tenant].forEach((service, s) => {
      for (let m = 0; m < 60; m += 3) {
        for (const partition of ['0', '1']) {
          const logs = 10 + ((m * 7 + s * 3 + Number(partition) * 11 + tenant.length) % 40);
          const errors = (m + s + Number(partition)) % 4 === 0 ? Math.floor(logs / (2 + s)) : 0;
          const labels = { tenant, service, partition };
          const bucket = NOW - HOUR + m * 60_000;
          points.push({ name: 'log_count', labels, bucket, value: logs });
          points.push({ name: 'error_count', labels, bucket, value: errors });
        }
      }
    });
  }
  return points;
}

/** Who may see an event: the tenancy rules written out independently of backend/query/scope.ts. */
export function visibleTo(
  key: KeyName,
  tenantParam?: string,
): (e: { tenant: string; service: string }) => boolean {
  switch (key) {
    case 'acme':
    case 'acmeAdmin':
      return (e) => e.tenant === 'acme';
    case 'acmeWeb':
      return (e) => e.tenant === 'acme' && e.service === 'web';
    case 'globex':
      return (e) => e.tenant === 'globex';
    case 'operator':
      return tenantParam === undefined ? () => true : (e) => e.tenant === tenantParam;
    case 'ingest':
      return () => false;
  }
}

export function ids(events: Array<{ id: string }>): string[] {
  return events.map((e) => e.id).sort();
}
