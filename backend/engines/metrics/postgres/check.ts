import type * as v from 'valibot';
import type { Logger } from '../../../../core/log/logger.ts';
import { checkPostgresAccess, probePostgres } from '../../../checks/postgresAccess.ts';
import type { CheckResult } from '../../../checks/result.ts';
import type { postgresMetricsSchema } from './config.ts';

export type PostgresMetricsConfig = v.InferOutput<typeof postgresMetricsSchema>;

/**
 * PostgreSQL reachable with the rights the metric store needs: create its schema and tables on first
 * start, then read and write `metric_points` and own it (daily partitions are added and dropped).
 */
export function checkPostgresMetrics(
  config: PostgresMetricsConfig,
  _deps: { log: Logger },
): Promise<CheckResult> {
  return checkPostgresAccess({
    url: config.url,
    schema: config.schema,
    tables: ['metric_points', 'sluice_migrations'],
    owned: ['metric_points'],
    key: 'metrics.url',
  });
}

export function probePostgresMetrics(config: PostgresMetricsConfig): Promise<CheckResult> {
  return probePostgres(config.url, 'metrics.url');
}
