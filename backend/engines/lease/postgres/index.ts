import type { LeasesDescriptor } from '../../descriptor.ts';
import { initialized } from '../initialized.ts';
import { checkPostgresLeases, probePostgresLeases } from './check.ts';
import { postgresLeasesSchema } from './config.ts';
import { openPostgresLeaseStore } from './postgresLeaseStore.ts';

/** The lease store when metrics are in PostgreSQL: the same database and schema, which every process shares. */
export const postgresLeases: LeasesDescriptor<typeof postgresLeasesSchema> = {
  port: 'leases',
  kind: 'postgres',
  schema: postgresLeasesSchema,
  open: (config) => initialized(openPostgresLeaseStore({ url: config.url, schema: config.schema })),
  check: checkPostgresLeases,
  probe: probePostgresLeases,
  contract: { needs: 'server', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
