import { dirname, join } from 'node:path';
import type { ServerConfig } from '../config/schema.ts';

/**
 * Where a store with no section of its own in sluice.yaml lives (the alert store, the lease store): in
 * the metric store's database, which every process that needs it already shares. PostgreSQL: the same
 * URL and schema; SQLite: the file `sqliteFile` beside the metrics file.
 */
export function inMetricsDatabase(
  metrics: ServerConfig['metrics'],
  sqliteFile: string,
): { kind: 'postgres'; url: string; schema: string } | { kind: 'sqlite'; path: string } {
  return metrics.kind === 'postgres'
    ? { kind: 'postgres', url: metrics.url, schema: metrics.schema }
    : { kind: 'sqlite', path: join(dirname(metrics.path), sqliteFile) };
}
