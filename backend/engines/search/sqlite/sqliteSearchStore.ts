import type { LogEvent } from '../../../../core/event/types.ts';
import type { IndexResult, RetentionScope, SearchStore } from '../../../../core/ports/searchStore.ts';
import { dayEndsBy, dayOf } from '../../../sinks/search/days.ts';
import {
  checkCount,
  checkRange,
  checkServices,
  checkTenant,
  MAX_TRACE_LIMIT,
  planAggregateScope,
  planSearch,
} from '../../../sinks/search/searchPlan.ts';
import { encodeTenant } from '../../../sinks/search/tenantNames.ts';
import { aggregatePartitions } from './partitionAggregate.ts';
import type { PartitionRow } from './partitionDatabase.ts';
import { openPartitionFiles, type PartitionFiles, partitionOf } from './partitionFiles.ts';
import { scopePartitions, searchPartitions, tracePartitions } from './partitionSearch.ts';
import { type SearchReaders, SearchReadersClosedError, startSearchReaders } from './searchReaders.ts';
import { sqliteFtsText, toSqliteRow } from './sqliteSchema.ts';

export interface SqliteSearchStoreOptions {
  /** Directory holding one database per tenant per UTC day (`events-<tenant>-YYYY-MM-DD.db`); created if missing. */
  path: string;
  /** Partition databases kept open at once (the least recently used are closed), per connection set. */
  maxOpenFiles?: number;
  /**
   * Threads that run searches and traces (searchReaders.ts), so they never block the caller's event
   * loop; 0 runs them on the caller's thread. Two suit a small machine: more only queue for cores.
   */
  readers?: number;
}

const DEFAULT_READERS = 2;

/**
 * The SearchStore port on SQLite (node:sqlite, FTS5) for standalone mode. Each tenant's day is a
 * database of its own with SQLITE_EVENTS_SCHEMA, so retention deletes files, and a search opens
 * only its tenant's days overlapping its range (partitionFiles.ts, partitionSearch.ts).
 * node:sqlite is synchronous: writes run on the caller's thread, each call to completion; reads run
 * on reader threads with read-only connections (WAL: they see every committed batch).
 */
export function openSqliteSearchStore(options: SqliteSearchStoreOptions): SearchStore {
  let files: PartitionFiles | null = null;
  const partitions = (): PartitionFiles => {
    files ??= openPartitionFiles(options.path, maxOpenFiles);
    return files;
  };
  const maxOpenFiles = options.maxOpenFiles ?? 64;
  const threads = options.readers ?? DEFAULT_READERS;
  let readers: SearchReaders | null = null;
  let closed = false;
  const reading = (): SearchReaders | null => {
    if (threads === 0) return null;
    // A call still on its way when the store closed (one its caller gave up on) must not start
    // threads again: nothing would end them.
    if (closed) throw new SearchReadersClosedError();
    readers ??= startSearchReaders({ path: options.path, maxOpenFiles, threads });
    return readers;
  };

  return {
    async init() {
      partitions();
    },
    async index(events) {
      return indexEvents(partitions(), events);
    },
    async search(request) {
      // Checked here, so a bad request fails before it queues, with the caller's own error class.
      const plan = planSearch(request);
      const threads = reading();
      if (threads === null) return searchPartitions(partitions(), plan);
      return threads.search(plan, scopePartitions(partitions().list(), plan), request.signal);
    },
    async aggregate(request) {
      const scope = planAggregateScope(request);
      const threads = reading();
      if (threads === null) return aggregatePartitions(partitions(), scope);
      return threads.aggregate(scope, scopePartitions(partitions().list(), scope), request.signal);
    },
    async trace(tenant, correlationId, range, limit, services) {
      const scope = { tenant: checkTenant(tenant), services: checkServices(services), ...checkRange(range) };
      const max = checkCount(limit, 'limit', 0, MAX_TRACE_LIMIT);
      const threads = reading();
      if (threads === null) return tracePartitions(partitions(), scope, correlationId, max);
      return threads.trace(scope, String(correlationId), max, scopePartitions(partitions().list(), scope));
    },
    async dropBefore(time, scope) {
      const dropped = dropBefore(partitions(), time, scope ?? {});
      if (scope?.dryRun !== true) readers?.forget(dropped);
      return dropped;
    },
    async close() {
      closed = true;
      const closing = readers?.close();
      readers = null;
      await closing;
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
