import postgres, { type Sql } from 'postgres';
import type { Logger } from '../../../../core/log/logger.ts';
import type {
  MetricPoint,
  MetricQuery,
  MetricSeries,
  MetricStore,
} from '../../../../core/ports/metricStore.ts';
import { UnavailableError } from '../../../../core/ports/unavailable.ts';
import {
  alignDown,
  buildSeries,
  canonicalLabels,
  checkPoints,
  type StepRow,
} from '../../../sinks/metrics/series.ts';
import { migrate } from './migrations.ts';

const DAY = 86_400_000;
/** What postgres.js and PostgreSQL say when the server is down, restarting or out of connections. */
const DOWN = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/** A server that is down is a 503 for the query API (retry later), not a 500. */
function unavailableIfDown(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !DOWN.has(code)) return error;
  return new UnavailableError(
    'metrics_unavailable',
    'the metric store',
    `PostgreSQL: ${(error as Error).message}`,
    5,
    { cause: error },
  );
}

export interface PostgresMetricStoreOptions {
  url: string;
  /** Schema holding the tables (created if missing). */
  schema: string;
  log: Logger;
  maxConnections?: number;
}

/**
 * The MetricStore port on PostgreSQL or TimescaleDB. Writes are upserts on (name, labels, bucket), so a
 * window re-emitted after a worker restart replaces its value instead of counting twice. Retention drops
 * whole daily partitions (or Timescale chunks), never deleting row by row.
 */
export async function openPostgresMetricStore(options: PostgresMetricStoreOptions): Promise<MetricStore> {
  const schema = options.schema;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`metrics.schema "${schema}" must be a lowercase SQL identifier (letters, digits, _)`);
  }
  const sql: Sql = postgres(options.url, {
    max: options.maxConnections ?? 4,
    onnotice: () => undefined,
    connection: { search_path: schema, application_name: 'sluice-metrics' },
  });
  const log = options.log.child({ component: 'metrics-store' });
  let timescale = false;
  const knownDays = new Set<number>();

  async function ensurePartitions(points: MetricPoint[]): Promise<void> {
    if (timescale) return;
    for (const p of points) {
      const day = alignDown(p.bucket, DAY);
      if (knownDays.has(day)) continue;
      const name = partitionName(day);
      try {
        // DDL takes no bind parameters; the bounds are ISO text computed from numbers, never user input.
        const from = sql.unsafe(`'${new Date(day).toISOString()}'`);
        const to = sql.unsafe(`'${new Date(day + DAY).toISOString()}'`);
        await sql`CREATE TABLE IF NOT EXISTS ${sql(name)} PARTITION OF metric_points FOR VALUES FROM (${from}) TO (${to})`;
      } catch (error) {
        // Another worker created it between our check and create: that is the outcome we wanted.
        const code = (error as { code?: string }).code;
        if (code !== '42P07' && code !== '42P17') throw error;
      }
      knownDays.add(day);
    }
  }

  function readSeries(q: MetricQuery, step: number) {
    return sql<
      Array<{
        labels: Record<string, string>;
        t: string;
        sum: number;
        count: string;
        max: number;
        min: number;
      }>
    >`
      SELECT labels,
             (floor(extract(epoch FROM bucket) * 1000 / ${step}) * ${step})::bigint AS t,
             sum(value) AS sum, count(*) AS count, max(value) AS max, min(value) AS min
      FROM metric_points
      WHERE name = ${q.name} AND labels @> ${sql.json(q.labels)}
        AND bucket >= ${new Date(alignDown(q.range.from, step))} AND bucket < ${new Date(q.range.to)}
      GROUP BY labels, t`;
  }

  return {
    async init() {
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`;
      const [ext] = await sql`SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'timescaledb'`;
      if (ext !== undefined) {
        try {
          await sql`CREATE EXTENSION IF NOT EXISTS timescaledb`;
          timescale = true;
        } catch (error) {
          log.warn('timescaledb is available but could not be enabled; using native partitions', {
            error: (error as Error).message,
          });
        }
      }
      const [existing] =
        await sql`SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${schema} AND c.relname = 'metric_points'`;
      if (existing !== undefined) timescale = existing.relkind !== 'p'; // keep what the first start chose
      const applied = await migrate(sql, { timescale });
      if (applied.length > 0) log.info('metric store migrated', { applied, timescale });
    },

    async upsert(points: MetricPoint[]) {
      if (points.length === 0) return;
      checkPoints(points);
      // One statement cannot update a row twice: keep the last value per key.
      const byKey = new Map<string, MetricPoint & { key: string }>();
      for (const p of points) {
        const key = canonicalLabels(p.labels);
        byKey.set(`${p.name}\u0000${key}\u0000${p.bucket}`, { ...p, key });
      }
      const rows = [...byKey.values()];
      await ensurePartitions(rows);
      await sql`
        INSERT INTO metric_points (name, labels, labels_key, bucket, value)
        SELECT * FROM unnest(
          ${sql.array(rows.map((r) => r.name))}::text[],
          ${sql.array(rows.map((r) => r.key))}::jsonb[],
          ${sql.array(rows.map((r) => r.key))}::text[],
          ${sql.array(rows.map((r) => new Date(r.bucket).toISOString()))}::timestamptz[],
          ${sql.array(rows.map((r) => r.value))}::float8[])
        ON CONFLICT (name, labels_key, bucket) DO UPDATE SET value = EXCLUDED.value`;
    },

    async query(q: MetricQuery): Promise<MetricSeries[]> {
      const step = Math.max(1, Math.trunc(q.step));
      const rows = await readSeries(q, step).catch((error: unknown) => {
        throw unavailableIfDown(error);
      });
      const stepRows: StepRow[] = rows.map((r) => ({
        labels: r.labels,
        t: Number(r.t),
        sum: Number(r.sum),
        count: Number(r.count),
        max: Number(r.max),
        min: Number(r.min),
      }));
      return buildSeries(stepRows, { ...q, step });
    },

    async dropBefore(time, options) {
      if (timescale) {
        const chunks =
          await sql`SELECT show_chunks('metric_points', older_than => ${new Date(time)}) AS chunk`;
        if (!options?.dryRun && chunks.length > 0) {
          await sql`SELECT drop_chunks('metric_points', older_than => ${new Date(time)})`;
        }
        return chunks.map((c) => String(c.chunk));
      }
      const parts = await sql<Array<{ name: string }>>`
        SELECT c.relname AS name FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE p.relname = 'metric_points' AND n.nspname = ${schema}`;
      // A partition goes only when its whole day is past the cut-off.
      const old = parts.map((p) => p.name).filter((name) => dayOf(name) + DAY <= time);
      if (!options?.dryRun) {
        for (const name of old) {
          await sql`DROP TABLE IF EXISTS ${sql(name)}`;
          knownDays.delete(dayOf(name));
        }
      }
      return old.sort();
    },

    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

function partitionName(day: number): string {
  return `metric_points_p${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

function dayOf(partition: string): number {
  const d = partition.slice(-8);
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
}
