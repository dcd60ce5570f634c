import type * as v from 'valibot';
import type { Logger } from '../../../../core/log/logger.ts';
import type { CheckResult } from '../../../checks/result.ts';
import { checkSqliteFile, probeSqliteFile } from '../../../checks/sqliteFile.ts';
import type { sqliteMetricsSchema } from './config.ts';

export type SqliteMetricsConfig = v.InferOutput<typeof sqliteMetricsSchema>;

/** The SQLite metric store is one database file: writable directory, and a SQLite file if it exists. */
export function checkSqliteMetrics(
  config: SqliteMetricsConfig,
  _deps: { log: Logger },
): Promise<CheckResult> {
  return checkSqliteFile(config.path, 'metrics.path');
}

export function probeSqliteMetrics(config: SqliteMetricsConfig): Promise<CheckResult> {
  return probeSqliteFile(config.path, 'metrics.path');
}
