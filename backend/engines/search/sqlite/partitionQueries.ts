import type { DatabaseSync } from 'node:sqlite';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { CursorPosition } from '../../../sinks/search/cursor.ts';
import type { SqliteWhere } from './compileSqlite.ts';

/**
 * The statements a search runs against one partition's `events` table. Every value is a bound
 * parameter; the only SQL text from elsewhere is compileSqlite's fragment, which holds none of the
 * user's text.
 */
export interface PartitionFilter {
  /** Always the partition's own tenant: the (tenant, ts, id) index then delivers rows in page order. */
  tenant: string;
  services: string[] | undefined;
  /** compileSqlite(query), compiled once per search and reused for every partition. */
  query: SqliteWhere | undefined;
  /** The query ANDs a full-text term, so SQLite could start from the FTS matches instead of the index. */
  textDriven: boolean;
  /** The query ANDs `service:x` (or the key is scoped to services) and the file has events_service_level. */
  serviceIndexed?: boolean;
  /** ftsExpression(query): the query as one FTS5 query, when it is only text terms. */
  fts: string | null;
  /** Every row of the partition holds `tenant`, so the tenant condition can be left out. */
  pure: boolean;
  /** Every row in [from, to) has its rowid in [lo, hi] (partitionCount.ts), so FTS subqueries stop there. */
  window?: RowidWindow;
  /** [from, to) in ms, already narrowed to the partition's day. */
  from: number;
  to: number;
}

export interface RowidWindow {
  lo: number;
  hi: number;
}

/** A row with its sort key, so pages of several partitions can be merged. */
export interface SortedHit {
  ms: number;
  id: string;
  event: LogEvent;
}

type Param = string | number;

/**
 * `+tenant` still filters but hides the (tenant, ts, id) index from the planner: every row of a
 * partition has its tenant, so the index narrows nothing, and offering it makes SQLite scan the
 * whole partition instead of starting from a rare word's few FTS matches (50 ms against 0.3 ms).
 * A pure partition (no other tenant's rows, see partitionCount.ts) drops the condition altogether,
 * which also lets an index without `tenant` cover a count.
 */
export function filterSql(filter: PartitionFilter, useIndex: boolean): { where: string; params: Param[] } {
  const parts = ['ts >= ?', 'ts < ?'];
  const params: Param[] = [filter.from, filter.to];
  if (useIndex || !filter.pure) {
    parts.unshift(useIndex ? 'tenant = ?' : '+tenant = ?');
    params.unshift(filter.tenant);
  }
  if (filter.services !== undefined) {
    parts.push(`service IN (${filter.services.map(() => '?').join(', ')})`);
    params.push(...filter.services);
  }
  if (filter.query !== undefined) {
    const query =
      filter.window === undefined ? filter.query : boundFtsSubqueries(filter.query, filter.window);
    parts.push(`(${query.where})`);
    params.push(...query.params);
  }
  return { where: parts.join(' AND '), params };
}

/** Whether a narrower index than (tenant, ts, id) selects the rows: FTS matches or events_service_level. */
export function selective(filter: PartitionFilter): boolean {
  return filter.textDriven || filter.serviceIndexed === true;
}

/** How compileSqlite selects a text term's matches; a fragment without it is left as it is. */
const FTS_SUBQUERY = 'WHERE events_fts MATCH ?';

/**
 * Adds `rowid BETWEEN lo AND hi` inside every FTS subquery, so SQLite reads only the window's
 * matches instead of the whole day's (FTS5 seeks its rowid-ordered lists). Rows outside the window
 * fail the ts condition anyway, so the result is the same, NOT included.
 */
export function boundFtsSubqueries(query: SqliteWhere, window: RowidWindow): SqliteWhere {
  const pieces = query.where.split(FTS_SUBQUERY);
  if (pieces.length === 1) return query;
  const params: Param[] = [];
  let used = 0;
  let where = '';
  pieces.forEach((piece, i) => {
    const placeholders = piece.split('?').length - 1;
    params.push(...query.params.slice(used, used + placeholders));
    used += placeholders;
    where += piece;
    if (i === pieces.length - 1) return;
    where += `${FTS_SUBQUERY} AND rowid BETWEEN ? AND ?`;
    params.push(query.params[used++], window.lo, window.hi);
  });
  return { where, params };
}

export function hits(rows: ReadonlyArray<Record<string, unknown>>): SortedHit[] {
  return rows.map((row) => ({
    ms: row.ts as number,
    id: row.id as string,
    event: JSON.parse(row.body as string) as LogEvent,
  }));
}

/**
 * Up to `limit` events in (ts, id) order, strictly after the cursor: keyset pagination, so a page
 * costs the same at any depth and events arriving meanwhile neither repeat nor shift hits.
 *
 * SQLite cannot tell how many rows an FTS5 MATCH yields, and tends to fetch every match and sort
 * them: right for a rare word, ruinous for a common one (0.5 s on a million events, against 30 ms
 * walking the index in page order until the page is full). The caller knows the count, and with
 * `walkIndex` imposes the index.
 */
export function searchPartition(
  db: DatabaseSync,
  filter: PartitionFilter,
  order: 'asc' | 'desc',
  after: CursorPosition | undefined,
  limit: number,
  walkIndex: boolean,
): SortedHit[] {
  const { where, params } = filterSql(filter, walkIndex || !selective(filter));
  let sql = `SELECT ts, id, body FROM events${walkIndex ? ' INDEXED BY events_tenant_ts' : ''} WHERE ${where}`;
  if (after !== undefined) {
    sql += order === 'asc' ? ' AND (ts, id) > (?, ?)' : ' AND (ts, id) < (?, ?)';
    params.push(after.ms, after.id);
  }
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  sql += ` ORDER BY ts ${direction}, id ${direction} LIMIT ?`;
  params.push(limit);
  return hits(db.prepare(sql).all(...params));
}

/** One correlation id's events in this partition, ascending, through the (correlation_id, ts) index. */
export function tracePartition(
  db: DatabaseSync,
  filter: PartitionFilter,
  correlationId: string,
  limit: number,
): SortedHit[] {
  // Leaves the planner the (correlation_id, ts) index, far narrower than the tenant's day.
  const { where, params } = filterSql(filter, false);
  params.push(correlationId, limit);
  return hits(
    db
      .prepare(
        `SELECT ts, id, body FROM events WHERE ${where} AND correlation_id = ? ORDER BY ts, id LIMIT ?`,
      )
      .all(...params),
  );
}
