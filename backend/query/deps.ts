import type { LogEvent } from '../../core/event/types.ts';
import type { Archive } from '../../core/ports/archive.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import { type ArchiveSearch, searchArchive } from './archiveSearch.ts';
import type { QueryLimits } from './params.ts';
import type { TailHub } from './tailHub.ts';

/** What the query API reads from, and the settings it needs. */
export interface QueryDeps {
  search: SearchStore;
  metrics: MetricStore;
  archive: Archive | null;
  tail: TailHub;
  limits: QueryLimits;
  /** How long events stay in the search store for a tenant (null: the global setting). */
  hotRetentionMs: (tenant: string | null) => number;
  /** How configured aggregates combine across partitions and steps, by metric name. */
  aggregationOf: (metric: string) => 'sum' | 'max' | 'min' | 'avg';
  now: () => number;
}

export async function archiveSearchOf(
  deps: QueryDeps,
  q: ArchiveSearch,
): Promise<{ hits: LogEvent[]; complete: boolean }> {
  if (deps.archive === null) return { hits: [], complete: true };
  return searchArchive(deps.archive, q);
}
