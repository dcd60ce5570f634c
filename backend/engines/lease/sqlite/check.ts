import type { CheckResult } from '../../../checks/result.ts';
import { checkSqliteFile, probeSqliteFile } from '../../../checks/sqliteFile.ts';

/** The SQLite lease store: `leases.db` beside the SQLite metrics file (so named by `metrics.path`). */
export interface SqliteLeasesConfig {
  path: string;
}

export function checkSqliteLeases(config: SqliteLeasesConfig): Promise<CheckResult> {
  return checkSqliteFile(config.path, 'metrics.path');
}

export function probeSqliteLeases(config: SqliteLeasesConfig): Promise<CheckResult> {
  return probeSqliteFile(config.path, 'metrics.path');
}
