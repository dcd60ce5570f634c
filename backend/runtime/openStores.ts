import type { Logger } from '../../core/log/logger.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import type { ServerConfig } from '../config/schema.ts';
import { openPostgresMetricStore } from '../engines/metrics/postgres/postgresMetricStore.ts';
import { openSqliteMetricStore } from '../engines/metrics/sqlite/sqliteMetricStore.ts';
import { openOpenSearchStore } from '../engines/search/opensearch/openSearchStore.ts';
import { openSqliteSearchStore } from '../engines/search/sqlite/sqliteSearchStore.ts';
import type { ParquetArchive } from '../sinks/archive/archive.ts';
import { openLocalArchive, openS3Archive } from '../sinks/archive/openArchive.ts';

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

/** The search store `search.kind` names, initialized (index template or directory in place). */
export async function openSearchStore(config: ServerConfig['search'], log: Logger): Promise<SearchStore> {
  const store =
    config.kind === 'opensearch'
      ? openOpenSearchStore({
          nodes: config.nodes,
          indexPrefix: config.index_prefix,
          shards: config.shards,
          replicas: config.replicas,
          username: config.username,
          password: config.password,
          caFile: config.ca_file,
          log,
        })
      : openSqliteSearchStore({ path: config.path });
  await store.init();
  return store;
}

/** Each store opened once, on first use, for all roles of a process; `close()` closes what was opened. */
export function sharedStores(config: ServerConfig, log: Logger) {
  let search: Promise<SearchStore> | undefined;
  let metrics: Promise<MetricStore> | undefined;
  let archive: ParquetArchive | undefined;
  return {
    search: () => (search ??= openSearchStore(config.search, log)),
    metrics: () => (metrics ??= openMetricStore(config.metrics, log)),
    archive: () => (archive ??= openArchiveStore(config.archive)),
    async close() {
      await (await search?.catch(() => undefined))?.close();
      await (await metrics?.catch(() => undefined))?.close();
    },
  };
}
