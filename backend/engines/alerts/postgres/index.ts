import type { AlertsDescriptor } from '../../descriptor.ts';
import { checkPostgresAlerts, probePostgresAlerts } from './check.ts';
import { postgresAlertsSchema } from './config.ts';
import { openPostgresAlertStore } from './postgresAlertStore.ts';

/** The alert store when metrics are in PostgreSQL: the same database and schema, which every query process shares. */
export const postgresAlerts: AlertsDescriptor<typeof postgresAlertsSchema> = {
  port: 'alerts',
  kind: 'postgres',
  schema: postgresAlertsSchema,
  async open(config, { log }) {
    const store = await openPostgresAlertStore({ url: config.url, schema: config.schema, log });
    await store.init();
    return store;
  },
  check: checkPostgresAlerts,
  probe: probePostgresAlerts,
  contract: { needs: 'server', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
