import type { Logger } from '../../../../core/log/logger.ts';
import type { CheckResult } from '../../../checks/result.ts';
import { checkSqliteFile, probeSqliteFile } from '../../../checks/sqliteFile.ts';

/** The SQLite alert store: `alerts.db` beside the SQLite metrics file (so named by `metrics.path`). */
export interface SqliteAlertsConfig {
  path: string;
}

export function checkSqliteAlerts(config: SqliteAlertsConfig, _deps: { log: Logger }): Promise<CheckResult> {
  return checkSqliteFile(config.path, 'metrics.path');
}

export function probeSqliteAlerts(config: SqliteAlertsConfig): Promise<CheckResult> {
  return probeSqliteFile(config.path, 'metrics.path');
}
