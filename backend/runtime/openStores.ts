import type { Logger } from '../../core/log/logger.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import type { ServerConfig } from '../config/schema.ts';
import { openPostgresMetricStore } from '../sinks/metrics/postgres/postgresMetricStore.ts';
import { openSqliteMetricStore } from '../sinks/metrics/sqlite/sqliteMetricStore.ts';

/** The metric store `metrics.kind` names, initialized (migrations run). */
export async function openMetricStore(config: ServerConfig['metrics'], log: Logger): Promise<MetricStore> {
  const store =
    config.kind === 'postgres'
      ? await openPostgresMetricStore({ url: config.url, schema: config.schema, log })
      : openSqliteMetricStore(config.path);
  await store.init();
  return store;
}
