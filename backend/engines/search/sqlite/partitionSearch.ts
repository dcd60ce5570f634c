import type { DatabaseSync } from 'node:sqlite';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { SearchPage, TimeRange } from '../../../../core/ports/searchStore.ts';
import { compareCodePoints } from '../../../../core/query/aggregate/index.ts';
import type { QueryNode } from '../../../../core/query/index.ts';
import { DAY_MS, dayOf, daysOverlapping } from '../../../sinks/search/days.ts';
import { canMatch, emptyPage, pageOf, type SearchPlan, totalOf } from '../../../sinks/search/searchPlan.ts';
import { encodeTenant } from '../../../sinks/search/tenantNames.ts';
import { compileSqlite } from './compileSqlite.ts';
import { ftsExpression } from './ftsExpression.ts';
import { latestPage } from './latestPage.ts';
import { countPartition, type PartitionCount } from './partitionCount.ts';
import type { PartitionReader } from './partitionDatabase.ts';
import type { Partition } from './partitionFiles.ts';
import { type PartitionFilter, type SortedHit, searchPartition, tracePartition } from './partitionQueries.ts';

/**
 * Searches over partition files. Days never overlap in time, so pages visit days in page order and
 * simply concatenate; within one day an admin search (tenant null) merges the tenants' partitions
 * by (ts, id), the order SQLite pages them in.
 */
/** Where searches find partitions: the writer's own files, or a reader thread's connections. */
export interface PartitionSource {
  list(): Partition[];
  open(partition: Partition): PartitionReader | null;
}

interface Scope extends TimeRange {
  tenant: string | null;
  services: string[] | undefined;
}

/** Above this many matches in a partition, walking the (tenant, ts, id) index beats sorting the matches. */
const FREQUENT_MATCHES = 1000;

/** The partitions of the scope's tenant (all, for null) overlapping its range, by day then tenant. */
export function scopePartitions(
  partitions: readonly Partition[],
  scope: Omit<Scope, 'services'>,
): Partition[] {
  const span = daysOverlapping(scope);
  if (span === null) return [];
  const tenantPart = scope.tenant === null ? null : encodeTenant(scope.tenant);
  return partitions.filter(
    (p) => p.day >= span.first && p.day <= span.last && (tenantPart === null || p.tenantPart === tenantPart),
  );
}

/** The scope's partitions overlapping its range, grouped by day, days in visiting order. */
function partitionsByDay(files: PartitionSource, scope: Scope, order: 'asc' | 'desc'): Partition[][] {
  const days = new Map<number, Partition[]>();
  for (const partition of scopePartitions(files.list(), scope)) {
    const group = days.get(partition.day);
    if (group === undefined) days.set(partition.day, [partition]);
    else group.push(partition);
  }
  const groups = [...days.values()];
  return order === 'asc' ? groups : groups.reverse();
}

/** The partition's database and filter, or null when it does not belong to the scope's tenant. */
export function opened(
  files: PartitionSource,
  partition: Partition,
  scope: Scope,
  query: Pick<PartitionFilter, 'query' | 'textDriven' | 'fts' | 'serviceIndexed'>,
) {
  const database = files.open(partition);
  const tenant = database?.tenant ?? null;
  // Names are injective, so only a hash collision of two very long tenants could put another tenant here.
  if (database === null || tenant === null || (scope.tenant !== null && tenant !== scope.tenant)) return null;
  const start = partition.day * DAY_MS;
  const filter: PartitionFilter = {
    tenant,
    services: scope.services,
    ...query,
    pure: false,
    from: Math.max(scope.from, start),
    to: Math.min(scope.to, start + DAY_MS),
  };
  return { db: database.db, filter };
}

export function searchPartitions(files: PartitionSource, plan: SearchPlan): SearchPage {
  if (!canMatch(plan)) return emptyPage();
  const query = {
    query: plan.query === undefined ? undefined : compileSqlite(plan.query),
    textDriven: plan.query !== undefined && andsText(plan.query),
    fts: plan.query === undefined ? null : ftsExpression(plan.query),
    // Only a hint: countPartition keeps it where the file has the index.
    serviceIndexed: plan.services !== undefined || (plan.query !== undefined && andsService(plan.query)),
  };
  const rows: LogEvent[] = [];
  let counted = 0;
  for (const day of partitionsByDay(files, plan, plan.order)) {
    if (rows.length > plan.limit && counted > plan.totalBound) break;
    const needsRows = rows.length <= plan.limit && afterCursorDay(plan, day[0].day);
    const candidates: SortedHit[] = [];
    for (const partition of day) {
      const uncounted = plan.totalBound + 1 - counted;
      if (uncounted <= 0 && !needsRows) break;
      const target = opened(files, partition, plan, query);
      if (target === null) continue;
      // One read transaction per partition: the count's rowid window must still hold every row of
      // the range when the page is read, whatever the writer commits meanwhile.
      target.db.exec('BEGIN');
      try {
        // The count doubles as the statistic SQLite's planner lacks: see searchPartition's walkIndex.
        const count = countPartition(
          target.db,
          target.filter,
          Math.max(uncounted, needsRows ? FREQUENT_MATCHES + 1 : 0),
        );
        counted += Math.min(count.matches, Math.max(uncounted, 0));
        if (needsRows && count.matches > 0)
          candidates.push(...pageRows(target.db, count, plan, plan.limit + 1 - rows.length));
      } finally {
        target.db.exec('COMMIT');
      }
    }
    rows.push(...merged(candidates, plan.order, plan.limit + 1 - rows.length));
  }
  return pageOf(rows, plan.limit, totalOf(counted, plan.totalBound));
}

/** Matches read newest first for a page of `want`: the page, and margin for rows out of the range or order. */
const candidatesFor = (want: number) => 2 * want + 64;

/**
 * The partition's first `want` hits after the cursor. A frequent text-only match paged `desc` (the
 * usual: the latest logs) is read newest first from the FTS5 list (latestPage.ts), which otherwise
 * would be listed whole for the window's rowids, most of the query's time.
 */
function pageRows(db: DatabaseSync, count: PartitionCount, plan: SearchPlan, want: number): SortedHit[] {
  const frequent = count.matches > FREQUENT_MATCHES;
  if (frequent && count.zones !== undefined && plan.order === 'desc') {
    for (const candidates of [candidatesFor(want), 8 * candidatesFor(want)]) {
      const page = latestPage(db, count.filter, count.zones, plan.after, want, candidates);
      if (page !== null) return page;
    }
  }
  return searchPartition(db, count.filter, plan.order, plan.after, want, frequent);
}

export function tracePartitions(
  files: PartitionSource,
  scope: Scope,
  correlationId: string,
  limit: number,
): LogEvent[] {
  if (!canMatch(scope) || limit === 0) return [];
  const events: LogEvent[] = [];
  for (const day of partitionsByDay(files, scope, 'asc')) {
    const candidates: SortedHit[] = [];
    for (const partition of day) {
      const target = opened(files, partition, scope, { query: undefined, textDriven: false, fts: null });
      if (target !== null)
        candidates.push(...tracePartition(target.db, target.filter, correlationId, limit - events.length));
    }
    events.push(...merged(candidates, 'asc', limit - events.length));
    if (events.length >= limit) break;
  }
  return events;
}

/** Whether a full-text term must hold for the whole query to (AND-ed from the root). */
function andsText(node: QueryNode): boolean {
  return node.type === 'text' || (node.type === 'and' && node.children.some(andsText));
}

/** Whether `service:x` must hold for the whole query to (AND-ed from the root). */
function andsService(node: QueryNode): boolean {
  if (node.type === 'keyword') return node.field === 'service' && node.op === 'eq';
  return node.type === 'and' && node.children.some(andsService);
}

/** Days wholly before the cursor (in page order) cannot hold anything after it. */
function afterCursorDay(plan: SearchPlan, day: number): boolean {
  if (plan.after === undefined) return true;
  const cursorDay = dayOf(plan.after.ms);
  return plan.order === 'asc' ? day >= cursorDay : day <= cursorDay;
}

/** The first `count` of several partitions' sorted hits, in page order. */
function merged(candidates: SortedHit[], order: 'asc' | 'desc', count: number): LogEvent[] {
  const sign = order === 'asc' ? 1 : -1;
  candidates.sort((a, b) => sign * (a.ms - b.ms || compareAsSqlite(a.id, b.id)));
  return candidates.slice(0, Math.max(0, count)).map((hit) => hit.event);
}

/**
 * SQLite compares TEXT by its UTF-8 bytes, which is code point order; JS compares UTF-16 units,
 * which differs once surrogate pairs meet U+E000–U+FFFF. Merged pages must follow SQLite's order
 * exactly, or the cursor's `(ts, id) > (?, ?)` would skip or repeat hits.
 */
export const compareAsSqlite = compareCodePoints;
