import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Isolation, isolate, pgClient, requireEngines, type Sql } from '../../helpers/engines.ts';

// Smoke test of PostgreSQL through postgres.js inside an isolated schema: the metric
// writer's pattern, a time-partitioned table with a primary key on (name, labels, bucket)
// and upserts that add to an existing point.

describe('PostgreSQL engine (isolated schema)', () => {
  let iso: Isolation;
  let sql: Sql;

  before(async () => {
    await requireEngines('postgres');
    iso = isolate('postgres smoke', ['postgres']);
    sql = await iso.sql();
  });

  after(async () => {
    await iso?.cleanup();
  });

  it('creates tables in the isolation’s schema, not in public', async () => {
    await sql`
      CREATE TABLE metric_points (
        name   text             NOT NULL,
        labels jsonb            NOT NULL,
        bucket timestamptz      NOT NULL,
        value  double precision NOT NULL,
        PRIMARY KEY (name, labels, bucket)
      ) PARTITION BY RANGE (bucket)`;
    await sql`
      CREATE TABLE metric_points_2026_11 PARTITION OF metric_points
      FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')`;
    const rows = await sql`
      SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_name LIKE 'metric_points%' AND table_schema = ${iso.pgSchema} ORDER BY table_name`;
    assert.deepEqual(
      rows.map((r) => r.table_name),
      ['metric_points', 'metric_points_2026_11'],
    );
  });

  it('upserts with ON CONFLICT: a repeated key updates the point instead of adding a row', async () => {
    const point = {
      name: 'log_count',
      labels: sql.json({ service: 'checkout', level: 'error' }),
      bucket: '2026-11-23T12:00:00Z',
    };
    const upsert = (value: number) => sql`
      INSERT INTO metric_points (name, labels, bucket, value)
      VALUES (${point.name}, ${point.labels}, ${point.bucket}, ${value})
      ON CONFLICT (name, labels, bucket) DO UPDATE SET value = metric_points.value + EXCLUDED.value`;
    await upsert(3);
    await upsert(4);
    await sql`
      INSERT INTO metric_points (name, labels, bucket, value)
      VALUES ('log_count', ${sql.json({ service: 'cart', level: 'info' })}, '2026-11-23T12:00:00Z', 1)`;
    const rows = await sql<{ service: string; value: number }[]>`
      SELECT labels->>'service' AS service, value FROM metric_points
      WHERE name = 'log_count' AND bucket >= '2026-11-23' ORDER BY service`;
    assert.deepEqual(
      rows.map((r) => ({ ...r })),
      [
        { service: 'cart', value: 1 },
        { service: 'checkout', value: 7 },
      ],
    );
  });

  it('is invisible from another isolation', async () => {
    const other = isolate('postgres smoke other', ['postgres']);
    try {
      const otherSql = await other.sql();
      const [{ visible }] = await otherSql`SELECT to_regclass('metric_points') IS NOT NULL AS visible`;
      assert.equal(visible, false);
    } finally {
      await other.cleanup();
    }
  });

  it('cleanup drops the schema with everything in it', async () => {
    await iso.cleanup();
    const admin = pgClient();
    try {
      const rows = await admin`SELECT 1 FROM information_schema.schemata WHERE schema_name = ${iso.pgSchema}`;
      assert.equal(rows.length, 0);
    } finally {
      await admin.end({ timeout: 1 });
    }
  });
});
