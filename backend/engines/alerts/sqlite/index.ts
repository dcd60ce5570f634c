import type { AlertsDescriptor } from '../../descriptor.ts';
import { checkSqliteAlerts, probeSqliteAlerts } from './check.ts';
import { sqliteAlertsSchema } from './config.ts';
import { openSqliteAlertStore } from './sqliteAlertStore.ts';

/** The alert store when metrics are in SQLite: `alerts.db` beside the metrics file (standalone). */
export const sqliteAlerts: AlertsDescriptor<typeof sqliteAlertsSchema> = {
  port: 'alerts',
  kind: 'sqlite',
  schema: sqliteAlertsSchema,
  async open(config) {
    const store = openSqliteAlertStore(config.path);
    await store.init();
    return store;
  },
  check: checkSqliteAlerts,
  probe: probeSqliteAlerts,
  contract: { needs: 'embedded', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
