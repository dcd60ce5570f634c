import type { DatabaseSync } from 'node:sqlite';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { SqliteWhere } from '../../../../core/query/index.ts';
import type { CursorPosition } from '../cursor.ts';

/**
 * The statements a search runs against one day's `events` table. Every value is a bound parameter;
 * the only SQL text from elsewhere is compileSqlite's fragment, which holds none of the user's text.
 */
export interface DayFilter {
  tenant: string | null;
  services: string[] | undefined;
  /** compileSqlite(query), compiled once per search and reused for every day. */
  query: SqliteWhere | undefined;
  /** [from, to) in ms, already narrowed to this day. */
  from: number;
  to: number;
}

type Param = string | number;

function filterSql(filter: DayFilter): { where: string; params: Param[] } {
  const parts = ['ts >= ?', 'ts < ?'];
  const params: Param[] = [filter.from, filter.to];
  if (filter.tenant !== null) {
    parts.push('tenant = ?');
    params.push(filter.tenant);
  }
  if (filter.services !== undefined) {
    parts.push(`service IN (${filter.services.map(() => '?').join(', ')})`);
    params.push(...filter.services);
  }
  if (filter.query !== undefined) {
    parts.push(`(${filter.query.where})`);
    params.push(...filter.query.params);
  }
  return { where: parts.join(' AND '), params };
}

function events(rows: ReadonlyArray<Record<string, unknown>>): LogEvent[] {
  return rows.map((row) => JSON.parse(row.body as string) as LogEvent);
}

/**
 * Up to `limit` events in (ts, id) order, strictly after the cursor: keyset pagination, so a page
 * costs the same at any depth and events arriving meanwhile neither repeat nor shift hits.
 */
export function searchDay(
  db: DatabaseSync,
  filter: DayFilter,
  order: 'asc' | 'desc',
  after: CursorPosition | undefined,
  limit: number,
): LogEvent[] {
  const { where, params } = filterSql(filter);
  let sql = `SELECT body FROM events WHERE ${where}`;
  if (after !== undefined) {
    sql += order === 'asc' ? ' AND (ts, id) > (?, ?)' : ' AND (ts, id) < (?, ?)';
    params.push(after.ms, after.id);
  }
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  sql += ` ORDER BY ts ${direction}, id ${direction} LIMIT ?`;
  params.push(limit);
  return events(db.prepare(sql).all(...params));
}

/** Matching events, counted no further than `max` (a LIMIT inside keeps a huge day cheap). */
export function countDay(db: DatabaseSync, filter: DayFilter, max: number): number {
  const { where, params } = filterSql(filter);
  params.push(max);
  const row = db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE ${where} LIMIT ?)`).get(...params);
  return Number(row?.n ?? 0);
}

/** One correlation id's events of this day, ascending, through the (tenant, correlation_id, ts) index. */
export function traceDay(db: DatabaseSync, filter: DayFilter, correlationId: string, limit: number): LogEvent[] {
  const { where, params } = filterSql(filter);
  params.push(correlationId, limit);
  return events(
    db.prepare(`SELECT body FROM events WHERE ${where} AND correlation_id = ? ORDER BY ts, id LIMIT ?`).all(...params),
  );
}
