import type { Logger } from '../../../core/log/logger.ts';
import type { AlertStore } from '../../../core/ports/alertStore.ts';
import type { ServerConfig } from '../../config/schema.ts';
import type { AlertsDescriptor } from '../../engines/descriptor.ts';
import { inMetricsDatabase } from '../../engines/metricsDatabase.ts';
import { ALERTS, engineFor } from '../../engines/registry.ts';

/**
 * The alert store the config implies, initialized: PostgreSQL (the metric store's URL and schema)
 * when metrics live there, since that is the database every query process already shares; else
 * `alerts.db` beside the SQLite metrics file (./data/alerts.db by default).
 */
export async function openAlertStore(
  config: Pick<ServerConfig, 'metrics'>,
  log: Logger,
): Promise<AlertStore> {
  const where = alertStoreConfig(config.metrics);
  return await (engineFor(ALERTS, 'alerts', where.kind) as AlertsDescriptor).open(where, { log });
}

/** Where the alert store lives, implied by `metrics` (it has no config section of its own). */
export function alertStoreConfig(metrics: ServerConfig['metrics']) {
  return inMetricsDatabase(metrics, 'alerts.db');
}
