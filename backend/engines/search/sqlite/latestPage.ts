import type { DatabaseSync } from 'node:sqlite';
import type { CursorPosition } from '../../../sinks/search/cursor.ts';
import { filterSql, hits, type PartitionFilter, type SortedHit } from './partitionQueries.ts';
import { type TsZone, ZONE_ROWS, zoneWindow } from './tsZones.ts';

/**
 * A `desc` page of a text-only query straight from the FTS5 list of its matches. FTS5 walks that
 * list from the start to reach a rowid, so bounding it by a window costs as much as listing the
 * whole day (4 ms for a common word in a million events); walked backwards from the window's top
 * with a LIMIT it stops after the newest `candidates` matches (0.05 ms). Rows are written roughly in
 * time order, so those hold the page, and the zone map proves it: every match left unread lies in
 * a zone at or below the least rowid read, whose `hi_ts` bounds its time.
 *
 * Returns null when that proof fails (the newest matches are not the latest in time, or too few lie
 * in the range): the caller then reads the page the general way.
 */
export function latestPage(
  db: DatabaseSync,
  filter: PartitionFilter,
  zones: readonly TsZone[],
  after: CursorPosition | undefined,
  want: number,
  candidates: number,
): SortedHit[] | null {
  if (filter.fts === null) return null;
  const upper = Math.min(filter.to, after === undefined ? filter.to : after.ms + 1);
  const window = zoneWindow(zones, filter.from, upper);
  if (window === null) return [];
  const newest =
    'SELECT rowid FROM events_fts WHERE events_fts MATCH ? AND rowid <= ? ORDER BY rowid DESC LIMIT ?';
  const read = db
    .prepare(`SELECT count(*) AS n, min(rowid) AS least FROM (${newest})`)
    .get(filter.fts, window.hi, candidates) as {
    n: number;
    least: number | null;
  };
  // The text is the whole query (filter.fts), so the FTS subquery replaces compileSqlite's fragment.
  const { where, params } = filterSql({ ...filter, query: undefined, window: undefined }, false);
  let sql = `SELECT ts, id, body FROM events WHERE ${where} AND rowid IN (${newest})`;
  params.push(filter.fts, window.hi, candidates);
  if (after !== undefined) {
    sql += ' AND (ts, id) < (?, ?)';
    params.push(after.ms, after.id);
  }
  sql += ' ORDER BY ts DESC, id DESC LIMIT ?';
  params.push(want);
  const page = hits(db.prepare(sql).all(...params));
  // Fewer than asked for: FTS5 listed every match up to the window's top.
  if (read.n < candidates || read.least === null) return page;
  if (page.length < want) return null;
  const leastZone = Math.floor(read.least / ZONE_ROWS);
  let unreadHi = Number.NEGATIVE_INFINITY;
  for (const zone of zones) if (zone.zone <= leastZone && zone.hi > unreadHi) unreadHi = zone.hi;
  // Strictly later: an unread match of the same ms could have the greater id.
  return page[page.length - 1].ms > unreadHi ? page : null;
}
