import { dirname, join } from 'node:path';
import type { Logger } from '../../../core/log/logger.ts';
import type { AlertStore } from '../../../core/ports/alertStore.ts';
import type { ServerConfig } from '../../config/schema.ts';
import { openPostgresAlertStore } from '../../engines/alerts/postgres/postgresAlertStore.ts';
import { openSqliteAlertStore } from '../../engines/alerts/sqlite/sqliteAlertStore.ts';

/**
 * The alert store the config implies, initialized: PostgreSQL (the metric store's URL and schema)
 * when metrics live there, since that is the database every query process already shares; else
 * `alerts.db` beside the SQLite metrics file (./data/alerts.db by default).
 */
export async function openAlertStore(
  config: Pick<ServerConfig, 'metrics'>,
  log: Logger,
): Promise<AlertStore> {
  const metrics = config.metrics;
  const store =
    metrics.kind === 'postgres'
      ? await openPostgresAlertStore({ url: metrics.url, schema: metrics.schema, log })
      : openSqliteAlertStore(join(dirname(metrics.path), 'alerts.db'));
  await store.init();
  return store;
}
