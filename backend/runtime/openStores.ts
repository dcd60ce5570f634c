import type { Logger } from '../../core/log/logger.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import type { ServerConfig } from '../config/schema.ts';
import type { ArchiveDescriptor, MetricsDescriptor, SearchDescriptor } from '../engines/descriptor.ts';
import { ARCHIVE, engineFor, METRICS, SEARCH } from '../engines/registry.ts';
import type { ParquetArchive } from '../sinks/archive/archive.ts';

// Each opener looks its adapter up in backend/engines/registry.ts; the config schema is the registry's
// variant, so `config` is exactly what that descriptor takes.

/** The metric store `metrics.kind` names, initialized (migrations run). */
export async function openMetricStore(config: ServerConfig['metrics'], log: Logger): Promise<MetricStore> {
  return await (engineFor(METRICS, 'metrics', config.kind) as MetricsDescriptor).open(config, { log });
}

/** The archive `archive.kind` names: a local directory, or an S3-compatible bucket (which must exist). */
export function openArchiveStore(config: ServerConfig['archive'], log: Logger): ParquetArchive {
  return (engineFor(ARCHIVE, 'archive', config.kind) as ArchiveDescriptor).open(config, { log });
}

/** The search store `search.kind` names, initialized (index template or directory in place). */
export async function openSearchStore(config: ServerConfig['search'], log: Logger): Promise<SearchStore> {
  return await (engineFor(SEARCH, 'search', config.kind) as SearchDescriptor).open(config, { log });
}

/** Each store opened once, on first use, for all roles of a process; `close()` closes what was opened. */
export function sharedStores(config: ServerConfig, log: Logger) {
  let search: Promise<SearchStore> | undefined;
  let metrics: Promise<MetricStore> | undefined;
  let archive: ParquetArchive | undefined;
  return {
    search: () => (search ??= openSearchStore(config.search, log)),
    metrics: () => (metrics ??= openMetricStore(config.metrics, log)),
    archive: () => (archive ??= openArchiveStore(config.archive, log)),
    async close() {
      await (await search?.catch(() => undefined))?.close();
      await (await metrics?.catch(() => undefined))?.close();
    },
  };
}
