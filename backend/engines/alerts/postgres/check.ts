import type { Logger } from '../../../../core/log/logger.ts';
import { checkPostgresAccess, probePostgres } from '../../../checks/postgresAccess.ts';
import type { CheckResult } from '../../../checks/result.ts';

/** The PostgreSQL alert store lives in the metric store's database and schema (`metrics.url`, `metrics.schema`). */
export interface PostgresAlertsConfig {
  url: string;
  schema: string;
}

/** Reachable with the rights to create `alert_rules` and `alert_states`, or to read and write them. */
export function checkPostgresAlerts(
  config: PostgresAlertsConfig,
  _deps: { log: Logger },
): Promise<CheckResult> {
  return checkPostgresAccess({
    url: config.url,
    schema: config.schema,
    tables: ['alert_rules', 'alert_states'],
    key: 'metrics.url',
  });
}

export function probePostgresAlerts(config: PostgresAlertsConfig): Promise<CheckResult> {
  return probePostgres(config.url, 'metrics.url');
}
