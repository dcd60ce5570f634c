import type { Sql } from 'postgres';

/**
 * Versioned migrations for the PostgreSQL metric store, run at start-up inside one transaction guarded by
 * an advisory lock, so several workers starting together apply each migration exactly once.
 * The table is a TimescaleDB hypertable when that extension can be created, else a natively
 * range-partitioned table with one partition per day (created as points arrive).
 */
export interface Migration {
  version: number;
  name: string;
  up(sql: Sql, options: { timescale: boolean }): Promise<void>;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'metric_points',
    async up(sql, { timescale }) {
      await sql`
        CREATE TABLE metric_points (
          name text NOT NULL,
          labels jsonb NOT NULL,
          labels_key text NOT NULL,
          bucket timestamptz NOT NULL,
          value double precision NOT NULL,
          PRIMARY KEY (name, labels_key, bucket)
        ) ${timescale ? sql`` : sql`PARTITION BY RANGE (bucket)`}`;
      if (timescale) {
        await sql`SELECT create_hypertable('metric_points', 'bucket', chunk_time_interval => interval '1 day')`;
      }
      await sql`CREATE INDEX metric_points_labels ON metric_points USING gin (labels)`;
    },
  },
];

const LOCK_ID = 0x51_75_1c_e0; // "sluice" metric store migrations

export async function migrate(sql: Sql, options: { timescale: boolean }): Promise<number[]> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_ID})`;
    await tx`CREATE TABLE IF NOT EXISTS sluice_migrations (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Set(
      (await tx<{ version: number }[]>`SELECT version FROM sluice_migrations`).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await m.up(tx as unknown as Sql, options);
      await tx`INSERT INTO sluice_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      applied.push(m.version);
    }
    return applied;
  }) as Promise<number[]>;
}
