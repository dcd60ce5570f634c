import type { LeaseStore } from '../../../core/ports/leaseStore.ts';
import type { ServerConfig } from '../../config/schema.ts';
import type { EngineDeps, LeasesDescriptor } from '../descriptor.ts';
import { inMetricsDatabase } from '../metricsDatabase.ts';
import { engineFor, LEASES } from '../registry.ts';

/**
 * The lease store the config implies, initialized: PostgreSQL (the metric store's URL and schema) when
 * metrics live there, the database every process of a distributed deployment shares, as the alert store
 * does; else `leases.db` beside the SQLite metrics file, which the processes of one machine share.
 */
export async function openLeaseStore(
  config: Pick<ServerConfig, 'metrics'>,
  deps: EngineDeps,
): Promise<LeaseStore> {
  const where = leaseStoreConfig(config.metrics);
  return await (engineFor(LEASES, 'leases', where.kind) as LeasesDescriptor).open(where, deps);
}

/** Where the lease store lives, implied by `metrics` (it has no config section of its own). */
export function leaseStoreConfig(metrics: ServerConfig['metrics']) {
  return inMetricsDatabase(metrics, 'leases.db');
}
