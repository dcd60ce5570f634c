import type { DatabaseSync } from 'node:sqlite';
import { filterSql, type PartitionFilter, type RowidWindow, selective } from './partitionQueries.ts';
import { readZones, type TsZone, zoneRuns, zoneWindow } from './tsZones.ts';

/**
 * Totals per partition, the bulk of a search's work: a page needs ~100 rows, an exact total up to
 * 10,000. Checking one FTS match against the range means reading its `events` row (~1 µs); FTS5
 * alone counts matches ~30 times faster, and the (tenant, ts, id) index lists a range's rowids at
 * ~0.07 µs each. So a count picks, per partition, the cheapest of:
 *
 * - `fts`: the range covers the whole partition and the query is only text: count on `events_fts`.
 * - `zones`: the query is only text and the file has its zone map (tsZones.ts): count on `events_fts`
 *   the zones wholly inside the range, and check match by match only those straddling it.
 * - `window`: the range is narrow: its rows' rowids span [lo, hi] (rows are written roughly in time
 *   order, so this is about the range), and FTS subqueries read only matches in there. When the
 *   range's rows fill [lo, hi] exactly, a text-only query is again counted on `events_fts` alone.
 * - `scan`: every match of the day (or every row of the range, without text) checked in turn,
 *   stopping at the bound: best for a wide range, where the bound is soon reached.
 */
export type CountStrategy = 'fts' | 'zones' | 'window' | 'scan';

/** Estimated µs to read one match's `events` row, and to step over one (tenant, ts, id) index entry. */
const ROW_LOOKUP_US = 1;
const INDEX_ENTRY_US = 0.07;

export interface CountEstimate {
  /** The query can be counted on `events_fts` alone (text terms only, no service scope, pure partition). */
  ftsOnly: boolean;
  /** An FTS match set restricts the rows (the query ANDs a text term). */
  textDriven: boolean;
  /** The range holds every row of the partition. */
  covers: boolean;
  partitionRows: number;
  /** Rows estimated in the range (the partition's rows times the share of its time span covered). */
  rowsInRange: number;
  /** FTS matches in the whole partition, counted up to some cap; null when not counted. */
  ftsMatches: number | null;
  /** Count no further than this. */
  max: number;
}

export function chooseCount(e: CountEstimate): CountStrategy {
  if (e.ftsOnly && e.covers) return 'fts';
  if (!e.textDriven || e.partitionRows === 0) return 'scan';
  const share = Math.max(e.rowsInRange / e.partitionRows, 1e-9);
  const matches = e.ftsMatches ?? e.partitionRows;
  const scanCost = Math.min(matches, e.max / share) * ROW_LOOKUP_US;
  const windowCost = e.rowsInRange * INDEX_ENTRY_US + Math.min(matches * share, e.max) * ROW_LOOKUP_US;
  return windowCost < scanCost ? 'window' : 'scan';
}

/** FTS matches worth counting for chooseCount: beyond this many, the window wins anyway. */
function ftsCap(rowsInRange: number, max: number): number {
  return Math.ceil((rowsInRange * INDEX_ENTRY_US) / ROW_LOOKUP_US) + max + 1;
}

interface Shape {
  /** Earliest and latest ts of the tenant's rows; null when it has none. */
  lo: number | null;
  hi: number | null;
  rows: number;
  /** Another tenant's rows share the file (only after a file-name hash collision). */
  mixed: number;
  serviceIndex: number;
  /** The file has its zone map (tsZones.ts): files written before it have it once a writer opens them. */
  zoned: number;
}

/** A few index seeks: no row of the table is read. */
function shapeOf(db: DatabaseSync, tenant: string): Shape {
  return db
    .prepare(
      `SELECT (SELECT min(ts) FROM events WHERE tenant = ?) AS lo, (SELECT max(ts) FROM events WHERE tenant = ?) AS hi,
        (SELECT max(rowid) FROM events) AS rows,
        EXISTS (SELECT 1 FROM events WHERE tenant < ?) OR EXISTS (SELECT 1 FROM events WHERE tenant > ?) AS mixed,
        EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'events_service_level') AS serviceIndex,
        EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'events_ts_zones') AS zoned`,
    )
    .get(tenant, tenant, tenant, tenant) as unknown as Shape;
}

function ftsCount(db: DatabaseSync, fts: string, max: number, window?: { lo: number; hi: number }): number {
  const bounded = window === undefined ? '' : ' AND rowid BETWEEN ? AND ?';
  const params = window === undefined ? [fts, max] : [fts, window.lo, window.hi, max];
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ?${bounded} LIMIT ?)`,
    )
    .get(...params);
  return Number(row?.n ?? 0);
}

function scanCount(db: DatabaseSync, filter: PartitionFilter, max: number): number {
  const { where, params } = filterSql(filter, !selective(filter));
  params.push(max);
  const row = db
    .prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE ${where} LIMIT ?)`)
    .get(...params);
  return Number(row?.n ?? 0);
}

export interface PartitionCount {
  /** Matching events, counted no further than `max`. */
  matches: number;
  /** The filter to fetch the page with: pure and window filled in. */
  filter: PartitionFilter;
  strategy: CountStrategy | 'empty';
  /** The zones that may hold rows of the range, by rowid, when the zone map was read. */
  zones?: TsZone[];
}

/**
 * Counts zone by zone, up to `max`, in one pass over the window's FTS matches: FTS5 reaches a
 * rowid only by walking its list from the start, so a statement per run would walk it once each.
 * A match in an inside run counts as it is; any other has its `ts` read. Null when the file is too
 * far out of time order for it.
 */
function zonesCount(
  db: DatabaseSync,
  filter: PartitionFilter,
  fts: string,
  window: RowidWindow,
  zones: TsZone[],
  max: number,
): number | null {
  const runs = zoneRuns(zones, filter.from, filter.to);
  if (runs === null) return null;
  const inside = runs.filter((run) => run.inside);
  const params: Array<string | number> = [fts, window.lo, window.hi];
  for (const run of inside) params.push(run.lo, run.hi);
  params.push(filter.from, filter.to, max);
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events_fts f WHERE events_fts MATCH ? AND rowid BETWEEN ? AND ? AND (${inside
        .map(() => 'rowid BETWEEN ? AND ? OR ')
        .join('')}(SELECT ts FROM events e WHERE e.rowid = f.rowid) BETWEEN ? AND ? - 1) LIMIT ?)`,
    )
    .get(...params);
  return Number(row?.n ?? 0);
}

/**
 * Counts the partition's matches up to `max` with the cheapest strategy. Run it and the page's
 * query in one read transaction, so the window still holds every row of the range.
 */
export function countPartition(db: DatabaseSync, base: PartitionFilter, max: number): PartitionCount {
  const shape = shapeOf(db, base.tenant);
  const filter: PartitionFilter = {
    ...base,
    pure: shape.mixed === 0,
    serviceIndexed: base.serviceIndexed === true && shape.serviceIndex === 1,
  };
  if (shape.lo === null || shape.hi === null || base.to <= shape.lo || base.from > shape.hi)
    return { matches: 0, filter, strategy: 'empty' };
  const span = shape.hi + 1 - shape.lo;
  const overlap = Math.min(base.to, shape.hi + 1) - Math.max(base.from, shape.lo);
  const rowsInRange = Math.ceil((shape.rows * overlap) / span);
  const ftsOnly = filter.fts !== null && filter.pure && filter.services === undefined;
  const covers = overlap === span;
  if (ftsOnly && !covers && filter.fts !== null) {
    const zones = shape.zoned === 1 ? readZones(db, filter.from, filter.to, shape.rows) : null;
    const window = zones === null ? null : zoneWindow(zones, filter.from, filter.to);
    if (zones !== null && window === null) return { matches: 0, filter, strategy: 'empty' };
    const matches =
      zones === null || window === null ? null : zonesCount(db, filter, filter.fts, window, zones, max);
    if (zones !== null && window !== null && matches !== null)
      return { matches, filter: { ...filter, window }, strategy: 'zones', zones };
  }
  const strategy = chooseCount({
    ftsOnly,
    textDriven: filter.textDriven,
    covers,
    partitionRows: shape.rows,
    rowsInRange,
    ftsMatches:
      ftsOnly && !covers && filter.fts !== null ? ftsCount(db, filter.fts, ftsCap(rowsInRange, max)) : null,
    max,
  });
  if (strategy === 'fts' && filter.fts !== null) {
    const matches = ftsCount(db, filter.fts, max);
    // For latestPage.ts, which reads a frequent match's page newest first.
    const zones = shape.zoned === 1 && matches > 1 ? readZones(db, filter.from, filter.to, shape.rows) : null;
    return { matches, filter, strategy, ...(zones === null ? {} : { zones }) };
  }
  if (strategy !== 'window') return { matches: scanCount(db, filter, max), filter, strategy };
  const bounds = db
    .prepare(
      'SELECT count(*) AS n, min(rowid) AS lo, max(rowid) AS hi FROM events INDEXED BY events_tenant_ts WHERE tenant = ? AND ts >= ? AND ts < ?',
    )
    .get(filter.tenant, filter.from, filter.to) as { n: number; lo: number | null; hi: number | null };
  if (bounds.n === 0 || bounds.lo === null || bounds.hi === null)
    return { matches: 0, filter, strategy: 'empty' };
  const windowed: PartitionFilter = { ...filter, window: { lo: bounds.lo, hi: bounds.hi } };
  // Every rowid in [lo, hi] is a row of the range: the window is the range itself.
  const exact = bounds.n === bounds.hi - bounds.lo + 1;
  const matches =
    ftsOnly && exact && filter.fts !== null
      ? ftsCount(db, filter.fts, max, windowed.window)
      : scanCount(db, windowed, max);
  return { matches, filter: windowed, strategy };
}
