import type { DatabaseSync } from 'node:sqlite';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { SqliteWhere } from '../../../../core/query/index.ts';
import type { CursorPosition } from '../cursor.ts';

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
  /** [from, to) in ms, already narrowed to the partition's day. */
  from: number;
  to: number;
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
 */
function filterSql(filter: PartitionFilter, useIndex: boolean): { where: string; params: Param[] } {
  const parts = [useIndex ? 'tenant = ?' : '+tenant = ?', 'ts >= ?', 'ts < ?'];
  const params: Param[] = [filter.tenant, filter.from, filter.to];
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

function hits(rows: ReadonlyArray<Record<string, unknown>>): SortedHit[] {
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
  const { where, params } = filterSql(filter, walkIndex || !filter.textDriven);
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

/** Matching events, counted no further than `max` (a LIMIT inside keeps a huge day cheap). */
export function countPartition(db: DatabaseSync, filter: PartitionFilter, max: number): number {
  const { where, params } = filterSql(filter, !filter.textDriven);
  params.push(max);
  const row = db
    .prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE ${where} LIMIT ?)`)
    .get(...params);
  return Number(row?.n ?? 0);
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
