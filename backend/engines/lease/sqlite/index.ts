import type { LeasesDescriptor } from '../../descriptor.ts';
import { initialized } from '../initialized.ts';
import { checkSqliteLeases, probeSqliteLeases } from './check.ts';
import { sqliteLeasesSchema } from './config.ts';
import { openSqliteLeaseStore } from './sqliteLeaseStore.ts';

/** The lease store when metrics are in SQLite: `leases.db` beside the metrics file, shared by one machine's processes. */
export const sqliteLeases: LeasesDescriptor<typeof sqliteLeasesSchema> = {
  port: 'leases',
  kind: 'sqlite',
  schema: sqliteLeasesSchema,
  open: (config) => initialized(openSqliteLeaseStore(config.path)),
  check: checkSqliteLeases,
  probe: probeSqliteLeases,
  contract: { needs: 'embedded', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
