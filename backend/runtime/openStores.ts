import type { Logger } from '../../core/log/logger.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import { openLocalArchive, openS3Archive } from '../sinks/archive/openArchive.ts';
import type { ParquetArchive } from '../sinks/archive/archive.ts';
import type { ServerConfig } from '../config/schema.ts';
import { openPostgresMetricStore } from '../sinks/metrics/postgres/postgresMetricStore.ts';
import { openSqliteMetricStore } from '../sinks/metrics/sqlite/sqliteMetricStore.ts';

/** The metric store `metrics.kind` names, initialized (migrations run). */
export async function openMetricStore(config: ServerConfig['metrics'], log: Logger): Promise<MetricStore> {
  const store =
    config.kind === 'postgres'
      ? await openPostgresMetricStore({ url: config.url, schema: config.schema, log })
      : openSqliteMetricStore(config.path);
  await store.init();
  return store;
}

/** The archive `archive.kind` names: a local directory, or an S3-compatible bucket (which must exist). */
export function openArchiveStore(config: ServerConfig['archive']): ParquetArchive {
  if (config.kind === 's3') {
    return openS3Archive({
      endpoint: config.endpoint,
      bucket: config.bucket,
      region: config.region,
      prefix: config.prefix,
      accessKeyId: config.access_key_id,
      secretAccessKey: config.secret_access_key,
      forcePathStyle: config.force_path_style,
    });
  }
  return openLocalArchive(config.dir);
}
