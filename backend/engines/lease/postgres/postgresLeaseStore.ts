import postgres, { type Sql } from 'postgres';
import type { LeaseStore } from '../../../../core/ports/leaseStore.ts';

export interface PostgresLeaseStoreOptions {
  url: string;
  /** Schema holding the `leases` table (created if missing); the metric store's in a usual deployment. */
  schema: string;
}

/** SQLSTATEs of two processes creating the same schema or table at once: the other one won, fine. */
const CREATED_CONCURRENTLY = new Set(['23505', '42P07', '42P06']);

/**
 * The LeaseStore port on PostgreSQL, for processes on several machines sharing one database. A lease is
 * a row; taking it is one upsert whose WHERE lets it through only when the row is this holder's or has
 * expired, so the row lock PostgreSQL takes for the upsert decides between processes asking at once.
 * Expiry is the server's `now()`, one clock for every process.
 */
export function openPostgresLeaseStore(options: PostgresLeaseStoreOptions): LeaseStore {
  const { schema } = options;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`lease store schema "${schema}" must be a lowercase SQL identifier (letters, digits, _)`);
  }
  const sql: Sql = postgres(options.url, {
    max: 1,
    onnotice: () => undefined,
    connection: { search_path: schema, application_name: 'sluice-leases' },
  });
  const tolerateRace = async (statement: () => Promise<unknown>) => {
    try {
      await statement();
    } catch (error) {
      if (!CREATED_CONCURRENTLY.has((error as { code?: string }).code ?? '')) throw error;
    }
  };

  return {
    async init() {
      await tolerateRace(() => sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`);
      await tolerateRace(
        () => sql`CREATE TABLE IF NOT EXISTS leases (
          name text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL)`,
      );
    },
    async acquire(name, holder, ttlMs) {
      const rows = await sql`INSERT INTO leases (name, holder, expires_at)
        VALUES (${name}, ${holder}, now() + ${ttlMs} * interval '1 millisecond')
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE leases.holder = excluded.holder OR leases.expires_at <= now()
        RETURNING 1`;
      return rows.length === 1;
    },
    async release(name, holder) {
      await sql`DELETE FROM leases WHERE name = ${name} AND holder = ${holder}`;
    },
    async holder(name) {
      const [row] = await sql`SELECT holder, (extract(epoch FROM expires_at) * 1000)::float8 AS expires_at
        FROM leases WHERE name = ${name} AND expires_at > now()`;
      return row === undefined ? null : { holder: row.holder, expiresAt: Math.round(row.expires_at) };
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
