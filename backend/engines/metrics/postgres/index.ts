import type { MetricsDescriptor } from '../../descriptor.ts';
import { checkPostgresMetrics, probePostgresMetrics } from './check.ts';
import { postgresMetricsSchema } from './config.ts';
import { openPostgresMetricStore } from './postgresMetricStore.ts';

/** `metrics.kind: postgres`: metric points in PostgreSQL or TimescaleDB (distributed mode). */
export const postgresMetrics: MetricsDescriptor<typeof postgresMetricsSchema> = {
  port: 'metrics',
  kind: 'postgres',
  schema: postgresMetricsSchema,
  async open(config, { log }) {
    const store = await openPostgresMetricStore({ url: config.url, schema: config.schema, log });
    await store.init();
    return store;
  },
  check: checkPostgresMetrics,
  probe: probePostgresMetrics,
  contract: { needs: 'server', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
