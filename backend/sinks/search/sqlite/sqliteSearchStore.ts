import type { LogEvent } from '../../../../core/event/types.ts';
import type { IndexResult, RetentionScope, SearchStore } from '../../../../core/ports/searchStore.ts';
import { sqliteFtsText, toSqliteRow } from '../../../../core/query/index.ts';
import { dayEndsBy, dayOf } from '../days.ts';
import {
  checkCount,
  checkRange,
  checkServices,
  checkTenant,
  MAX_TRACE_LIMIT,
  planSearch,
} from '../searchPlan.ts';
import { encodeTenant } from '../tenantNames.ts';
import type { PartitionRow } from './partitionDatabase.ts';
import { openPartitionFiles, type PartitionFiles, partitionOf } from './partitionFiles.ts';
import { searchPartitions, tracePartitions } from './partitionSearch.ts';

export interface SqliteSearchStoreOptions {
  /** Directory holding one database per tenant per UTC day (`events-<tenant>-YYYY-MM-DD.db`); created if missing. */
  path: string;
  /** Partition databases kept open at once (the least recently used are closed). */
  maxOpenFiles?: number;
}

/**
 * The SearchStore port on SQLite (node:sqlite, FTS5) for standalone mode. Each tenant's day is a
 * database of its own with SQLITE_EVENTS_SCHEMA, so retention deletes files, and a search opens
 * only its tenant's days overlapping its range (partitionFiles.ts, partitionSearch.ts).
 * node:sqlite is synchronous: each call runs to completion without interleaving with another.
 */
export function openSqliteSearchStore(options: SqliteSearchStoreOptions): SearchStore {
  let files: PartitionFiles | null = null;
  const partitions = (): PartitionFiles => {
    files ??= openPartitionFiles(options.path, options.maxOpenFiles ?? 64);
    return files;
  };

  return {
    async init() {
      partitions();
    },
    async index(events) {
      return indexEvents(partitions(), events);
    },
    async search(request) {
      return searchPartitions(partitions(), planSearch(request));
    },
    async trace(tenant, correlationId, range, limit, services) {
      const scope = { tenant: checkTenant(tenant), services: checkServices(services), ...checkRange(range) };
      return tracePartitions(
        partitions(),
        scope,
        correlationId,
        checkCount(limit, 'limit', 0, MAX_TRACE_LIMIT),
      );
    },
    async dropBefore(time, scope) {
      return dropBefore(partitions(), time, scope ?? {});
    },
    async close() {
      files?.closeAll();
      files = null;
    },
  };
}

function indexEvents(files: PartitionFiles, events: readonly LogEvent[]): IndexResult {
  const rejected: IndexResult['rejected'] = [];
  const groups = new Map<string, { tenant: string; day: number; rows: PartitionRow[] }>();
  for (const event of events) {
    let row: PartitionRow['row'];
    try {
      if (typeof event.tenant !== 'string') throw new Error('event has no tenant');
      row = toSqliteRow(event);
    } catch (error) {
      // toSqliteRow refuses only what normalization should have caught (unreadable ts, unknown
      // level): such an event can never be stored, so it goes to the dead-letter topic.
      rejected.push({ event, reason: (error as Error).message });
      continue;
    }
    const day = dayOf(row.ts);
    const key = `${day}\u0000${event.tenant}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { tenant: event.tenant, day, rows: [] };
      groups.set(key, group);
    }
    group.rows.push({ row, tokens: sqliteFtsText(event.message) });
  }
  // One transaction per partition touched (usually one or two): an id always maps to the same
  // partition, so a redelivered batch finds its duplicates there and skips them.
  for (const { tenant, day, rows } of groups.values())
    files.open(partitionOf(tenant, day), tenant)?.insert(rows);
  return { indexed: events.length - rejected.length, rejected };
}

/** Deletes whole partition files: of one tenant, or of every tenant but those with their own period. */
function dropBefore(files: PartitionFiles, time: number, scope: RetentionScope): string[] {
  const only = scope.tenant === undefined ? undefined : encodeTenant(scope.tenant);
  const spared = new Set((scope.exceptTenants ?? []).map(encodeTenant));
  const dropped: string[] = [];
  for (const partition of files.list()) {
    if (!dayEndsBy(partition.day, time) || spared.has(partition.tenantPart)) continue;
    if (only !== undefined && partition.tenantPart !== only) continue;
    dropped.push(files.fileName(partition));
    if (scope.dryRun !== true) files.remove(partition);
  }
  return dropped;
}
