import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type {
  MetricPoint,
  MetricQuery,
  MetricSeries,
  MetricStore,
} from '../../../../core/ports/metricStore.ts';
import {
  alignDown,
  buildSeries,
  canonicalLabels,
  checkPoints,
  type StepRow,
} from '../../../sinks/metrics/series.ts';

/** Versioned schema: each entry runs once, in order, tracked by SQLite's user_version. */
const MIGRATIONS = [
  `CREATE TABLE metric_points (
     name TEXT NOT NULL,
     labels TEXT NOT NULL,      -- canonical JSON (sorted keys)
     bucket INTEGER NOT NULL,   -- ms since the epoch
     value REAL NOT NULL,
     PRIMARY KEY (name, labels, bucket)
   ) WITHOUT ROWID;
   CREATE INDEX metric_points_bucket ON metric_points (bucket);`,
];

/**
 * The MetricStore port on SQLite (node:sqlite) for standalone mode. Points are upserted on
 * (name, labels, bucket), so a window re-emitted after a restart overwrites its earlier value.
 * Retention deletes by the indexed bucket column: metric tables stay small (one row per series a minute).
 */
export function openSqliteMetricStore(path: string): MetricStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
  const upsert = () =>
    db.prepare(
      `INSERT INTO metric_points (name, labels, bucket, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (name, labels, bucket) DO UPDATE SET value = excluded.value`,
    );
  let insert: ReturnType<typeof upsert> | null = null;

  return {
    async init() {
      const version = Number(
        (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version,
      );
      for (let v = version; v < MIGRATIONS.length; v++) {
        db.exec('BEGIN');
        db.exec(MIGRATIONS[v]);
        db.exec(`PRAGMA user_version = ${v + 1}`);
        db.exec('COMMIT');
      }
      insert = upsert();
    },

    async upsert(points: MetricPoint[]) {
      checkPoints(points);
      insert ??= upsert();
      db.exec('BEGIN');
      try {
        for (const p of points) insert.run(p.name, canonicalLabels(p.labels), Math.trunc(p.bucket), p.value);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },

    async query(q: MetricQuery): Promise<MetricSeries[]> {
      const step = Math.max(1, Math.trunc(q.step));
      const params: Array<string | number> = [step, step, q.name, alignDown(q.range.from, step), q.range.to];
      let where = '';
      for (const [k, v] of Object.entries(q.labels)) {
        where += ' AND json_extract(labels, ?) = ?';
        params.push(`$."${k.replace(/"/g, '""')}"`, v);
      }
      const rows = db
        .prepare(
          `SELECT labels, (bucket / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS t, sum(value) AS sum, count(*) AS count, max(value) AS max, min(value) AS min
           FROM metric_points WHERE name = ? AND bucket >= ? AND bucket < ?${where}
           GROUP BY labels, t`,
        )
        .all(...params) as Array<{
        labels: string;
        t: number;
        sum: number;
        count: number;
        max: number;
        min: number;
      }>;
      const stepRows: StepRow[] = rows.map((r) => ({ ...r, labels: JSON.parse(r.labels) }));
      return buildSeries(stepRows, { ...q, step });
    },

    async dropBefore(time, options) {
      const { n } = db.prepare('SELECT count(*) AS n FROM metric_points WHERE bucket < ?').get(time) as {
        n: number;
      };
      if (n === 0) return [];
      if (!options?.dryRun) db.prepare('DELETE FROM metric_points WHERE bucket < ?').run(time);
      return [`metric_points: ${n} points before ${new Date(time).toISOString()}`];
    },

    async close() {
      db.close();
    },
  };
}
