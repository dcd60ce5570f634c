import { checkPostgresAccess, probePostgres } from '../../../checks/postgresAccess.ts';
import type { CheckResult } from '../../../checks/result.ts';

/** The PostgreSQL lease store lives in the metric store's database and schema (`metrics.url`, `metrics.schema`). */
export interface PostgresLeasesConfig {
  url: string;
  schema: string;
}

/** Reachable with the rights to create the `leases` table, or to read and write it. */
export function checkPostgresLeases(config: PostgresLeasesConfig): Promise<CheckResult> {
  return checkPostgresAccess({
    url: config.url,
    schema: config.schema,
    tables: ['leases'],
    key: 'metrics.url',
  });
}

export function probePostgresLeases(config: PostgresLeasesConfig): Promise<CheckResult> {
  return probePostgres(config.url, 'metrics.url');
}
