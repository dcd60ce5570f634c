import { dirname, join } from 'node:path';
import type { LeaseStore } from '../../../core/ports/leaseStore.ts';
import type { ServerConfig } from '../../config/schema.ts';
import { openPostgresLeaseStore } from './postgres/postgresLeaseStore.ts';
import { openSqliteLeaseStore } from './sqlite/sqliteLeaseStore.ts';

/**
 * The lease store the config implies, initialized: PostgreSQL (the metric store's URL and schema) when
 * metrics live there, the database every process of a distributed deployment shares, as the alert store
 * does; else `leases.db` beside the SQLite metrics file, which the processes of one machine share.
 */
export async function openLeaseStore(config: Pick<ServerConfig, 'metrics'>): Promise<LeaseStore> {
  const metrics = config.metrics;
  const store =
    metrics.kind === 'postgres'
      ? openPostgresLeaseStore({ url: metrics.url, schema: metrics.schema })
      : openSqliteLeaseStore(join(dirname(metrics.path), 'leases.db'));
  try {
    await store.init();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
