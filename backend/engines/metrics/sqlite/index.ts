import type { MetricsDescriptor } from '../../descriptor.ts';
import { checkSqliteMetrics, probeSqliteMetrics } from './check.ts';
import { sqliteMetricsSchema } from './config.ts';
import { openSqliteMetricStore } from './sqliteMetricStore.ts';

/** `metrics.kind: sqlite`: metric points in one SQLite file (standalone). */
export const sqliteMetrics: MetricsDescriptor<typeof sqliteMetricsSchema> = {
  port: 'metrics',
  kind: 'sqlite',
  schema: sqliteMetricsSchema,
  async open(config) {
    const store = openSqliteMetricStore(config.path);
    await store.init();
    return store;
  },
  check: checkSqliteMetrics,
  probe: probeSqliteMetrics,
  contract: { needs: 'embedded', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
