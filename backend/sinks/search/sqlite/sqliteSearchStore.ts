import type { LogEvent } from '../../../../core/event/types.ts';
import type { IndexResult, SearchPage, SearchRequest, SearchStore, TimeRange } from '../../../../core/ports/searchStore.ts';
import { compileSqlite, sqliteFtsText, toSqliteRow } from '../../../../core/query/index.ts';
import { dayEndsBy, dayOf, daysOverlapping } from '../days.ts';
import {
  canMatch,
  checkCount,
  checkRange,
  checkServices,
  checkTenant,
  emptyPage,
  MAX_TRACE_LIMIT,
  pageOf,
  planSearch,
  type SearchPlan,
  totalOf,
} from '../searchPlan.ts';
import type { DayRow } from './dayDatabase.ts';
import { type DayFiles, openDayFiles } from './dayFiles.ts';
import { countDay, type DayFilter, searchDay, traceDay } from './dayQueries.ts';
import { countTenantDay, dayIsEmpty, purgeTenantDay } from './tenantPurge.ts';

export interface SqliteSearchStoreOptions {
  /** Directory holding one database per UTC day (`events-YYYY-MM-DD.db`); created if missing. */
  path: string;
  /** Day databases kept open at once (least recently used are closed). */
  maxOpenDays?: number;
}

/**
 * The SearchStore port on SQLite (node:sqlite, FTS5) for standalone mode: one database per UTC
 * day, each with SQLITE_EVENTS_SCHEMA, so retention deletes files and a search visits only the days
 * its range overlaps, in order (days never overlap in time, so their pages simply concatenate).
 * node:sqlite is synchronous: each call runs to completion without interleaving with another.
 */
export function openSqliteSearchStore(options: SqliteSearchStoreOptions): SearchStore {
  let files: DayFiles | null = null;
  const opened = (): DayFiles => {
    files ??= openDayFiles(options.path, options.maxOpenDays ?? 32);
    return files;
  };

  return {
    async init() {
      opened();
    },
    async index(events) {
      return indexEvents(opened(), events);
    },
    async search(request) {
      return search(opened(), planSearch(request));
    },
    async trace(tenant, correlationId, range, limit, services) {
      const filter = {
        tenant: checkTenant(tenant),
        services: checkServices(services),
        ...checkRange(range),
      };
      const max = checkCount(limit, 'limit', 0, MAX_TRACE_LIMIT);
      if (!canMatch(filter) || max === 0) return [];
      const hits: LogEvent[] = [];
      for (const day of daysIn(opened(), filter, 'asc')) {
        const db = opened().open(day, false)?.db;
        if (db === undefined) continue;
        hits.push(...traceDay(db, { ...dayBounds(filter, day), query: undefined }, correlationId, max - hits.length));
        if (hits.length >= max) break;
      }
      return hits;
    },
    async dropBefore(time, dropOptions) {
      return dropBefore(opened(), time, dropOptions?.tenant, dropOptions?.dryRun === true);
    },
    async close() {
      files?.closeAll();
      files = null;
    },
  };
}

function indexEvents(files: DayFiles, events: readonly LogEvent[]): IndexResult {
  const rejected: IndexResult['rejected'] = [];
  const byDay = new Map<number, DayRow[]>();
  for (const event of events) {
    let row: DayRow['row'];
    try {
      row = toSqliteRow(event);
    } catch (error) {
      // toSqliteRow refuses only what normalization should have caught (unreadable ts, unknown
      // level): such an event can never be stored, so it goes to the dead-letter topic.
      rejected.push({ event, reason: (error as Error).message });
      continue;
    }
    const day = dayOf(row.ts);
    let rows = byDay.get(day);
    if (rows === undefined) byDay.set(day, (rows = []));
    rows.push({ row, tokens: sqliteFtsText(event.message) });
  }
  // One transaction per day touched (usually one): an id always maps to the same day, so a
  // redelivered batch finds its duplicates there and skips them.
  for (const [day, rows] of byDay) opened(files, day).insert(rows);
  return { indexed: events.length - rejected.length, rejected };
}

function opened(files: DayFiles, day: number) {
  return files.open(day, true) as NonNullable<ReturnType<DayFiles['open']>>;
}

/** Days with a file overlapping [from, to), in visiting order. */
function daysIn(files: DayFiles, range: TimeRange, order: 'asc' | 'desc'): number[] {
  const span = daysOverlapping(range);
  if (span === null) return [];
  const days = files.days().filter((day) => day >= span.first && day <= span.last);
  return order === 'asc' ? days : days.reverse();
}

function dayBounds<T extends TimeRange>(filter: T, day: number): T {
  const start = day * 86_400_000;
  return { ...filter, from: Math.max(filter.from, start), to: Math.min(filter.to, start + 86_400_000) };
}

function search(files: DayFiles, plan: SearchPlan): SearchPage {
  if (!canMatch(plan)) return emptyPage();
  const base = {
    tenant: plan.tenant,
    services: plan.services,
    query: plan.query === undefined ? undefined : compileSqlite(plan.query),
    from: plan.from,
    to: plan.to,
  };
  const days = daysIn(files, plan, plan.order);
  const rows: LogEvent[] = [];
  let counted = 0;
  for (const day of days) {
    const db = files.open(day, false)?.db;
    if (db === undefined) continue;
    const filter: DayFilter = dayBounds(base, day);
    if (counted <= plan.totalBound) counted += countDay(db, filter, plan.totalBound + 1 - counted);
    if (rows.length > plan.limit || !afterCursorDay(plan, day)) continue;
    rows.push(...searchDay(db, filter, plan.order, plan.after, plan.limit + 1 - rows.length));
  }
  return pageOf(rows, plan.limit, totalOf(counted, plan.totalBound));
}

/** Days wholly before the cursor (in page order) cannot hold anything after it. */
function afterCursorDay(plan: SearchPlan, day: number): boolean {
  if (plan.after === undefined) return true;
  const cursorDay = dayOf(plan.after.ms);
  return plan.order === 'asc' ? day >= cursorDay : day <= cursorDay;
}

async function dropBefore(files: DayFiles, time: number, tenant: string | undefined, dryRun: boolean) {
  const dropped: string[] = [];
  for (const day of files.days().filter((d) => dayEndsBy(d, time))) {
    const name = files.fileName(day);
    if (tenant === undefined) {
      if (!dryRun) files.remove(day);
      dropped.push(name);
      continue;
    }
    // A tenant with shorter retention than the global one: its rows leave a file others share.
    const count = dryRun ? countTenantDay(files, day, tenant) : await purgeTenantDay(files, day, tenant);
    if (count === 0) continue;
    dropped.push(`${name} (tenant ${tenant}: ${count} events)`);
    if (!dryRun && dayIsEmpty(files, day)) files.remove(day);
  }
  return dropped;
}
