import type * as v from 'valibot';
import type { Logger } from '../../../../core/log/logger.ts';
import type { CheckResult } from '../../../checks/result.ts';
import { checkWritableDir, probeWritableDir } from '../../../checks/writableDir.ts';
import type { sqliteSearchSchema } from './config.ts';

export type SqliteSearchConfig = v.InferOutput<typeof sqliteSearchSchema>;

/** The SQLite search store is a directory of databases (one per tenant per day): it must be writable. */
export function checkSqliteSearch(config: SqliteSearchConfig, _deps: { log: Logger }): Promise<CheckResult> {
  return checkWritableDir(config.path, 'search.path');
}

/** For /readyz: the directory is still there and writable (nothing is written). */
export function probeSqliteSearch(config: SqliteSearchConfig): Promise<CheckResult> {
  return probeWritableDir(config.path, 'search.path');
}
