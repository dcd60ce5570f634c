import type { DatabaseSync } from 'node:sqlite';
import type { RowidWindow } from './partitionQueries.ts';

/**
 * A zone map of the partition, like PostgreSQL's BRIN: for every block of 1,024 rowids, the least
 * and greatest `ts` its rows were written with. Rows are written roughly in time order, so most
 * zones of a range lie wholly inside it, and FTS5 alone counts their matches, seeking its
 * rowid-ordered lists, without reading an `events` row. Only the zones straddling the range's
 * edges (and any holding events written late or early) have their matches checked one by one.
 *
 * The bounds only ever widen: deleted rows leave them as they were, which still bounds every row
 * left. Counting thus stays exact whatever order events arrive in; disorder only costs time.
 */
export const ZONE_SHIFT = 10;
export const ZONE_ROWS = 2 ** ZONE_SHIFT;

export const TS_ZONES_SCHEMA = `CREATE TABLE IF NOT EXISTS events_ts_zones (
  zone INTEGER PRIMARY KEY,
  lo_ts INTEGER NOT NULL,
  hi_ts INTEGER NOT NULL
);`;

/** Reads the (tenant, ts, id) index only: about 1.5 s per million events, once per file. */
export const TS_ZONES_BACKFILL = `INSERT INTO events_ts_zones (zone, lo_ts, hi_ts)
  SELECT rowid >> ${ZONE_SHIFT}, min(ts), max(ts) FROM events INDEXED BY events_tenant_ts GROUP BY 1;`;

export const UPSERT_TS_ZONE = `INSERT INTO events_ts_zones (zone, lo_ts, hi_ts) VALUES (?, ?, ?)
  ON CONFLICT (zone) DO UPDATE SET lo_ts = min(lo_ts, excluded.lo_ts), hi_ts = max(hi_ts, excluded.hi_ts)`;

export interface TsZone {
  zone: number;
  lo: number;
  hi: number;
}

/** Collects the zones of one written batch, to upsert once each. */
export function tsZonesOf() {
  const zones = new Map<number, TsZone>();
  return {
    add(rowid: number, ts: number) {
      const zone = Math.floor(rowid / ZONE_ROWS);
      const known = zones.get(zone);
      if (known === undefined) zones.set(zone, { zone, lo: ts, hi: ts });
      else if (ts < known.lo) known.lo = ts;
      else if (ts > known.hi) known.hi = ts;
    },
    list: () => zones.values(),
  };
}

/** A run of adjacent zones: `inside` when every row of it lies in the range. */
export interface ZoneRun extends RowidWindow {
  inside: boolean;
}

/** More runs than this means the file is written far out of time order: count another way. */
const MAX_RUNS = 32;

/**
 * The zones that may hold rows of [from, to), by rowid; null when the file has no zone map or an
 * older writer appended rows past it (its last zone ends before `maxRowid`).
 */
export function readZones(db: DatabaseSync, from: number, to: number, maxRowid: number): TsZone[] | null {
  const last = db.prepare('SELECT max(zone) AS zone FROM events_ts_zones').get()?.zone as number | null;
  if (last === null || last === undefined || last < Math.floor(maxRowid / ZONE_ROWS)) return null;
  return db
    .prepare(
      'SELECT zone, lo_ts AS lo, hi_ts AS hi FROM events_ts_zones WHERE hi_ts >= ? AND lo_ts < ? ORDER BY zone',
    )
    .all(from, to) as unknown as TsZone[];
}

/**
 * Zones (by rowid, all overlapping [from, to)) merged into runs of adjacent zones alike; null when
 * there are more than MAX_RUNS. A zone absent from `zones` holds no row of the range, so it ends a run.
 */
export function zoneRuns(zones: readonly TsZone[], from: number, to: number): ZoneRun[] | null {
  const runs: ZoneRun[] = [];
  let previous: ZoneRun | undefined;
  let previousZone = Number.NaN;
  for (const { zone, lo, hi } of zones) {
    const inside = lo >= from && hi < to;
    const start = zone * ZONE_ROWS;
    if (previous !== undefined && previous.inside === inside && zone === previousZone + 1)
      previous.hi = start + ZONE_ROWS - 1;
    else {
      if (runs.length === MAX_RUNS) return null;
      previous = { lo: start, hi: start + ZONE_ROWS - 1, inside };
      runs.push(previous);
    }
    previousZone = zone;
  }
  return runs;
}

/** The rowids every row of [from, to) lies within, or null when no zone may hold one. */
export function zoneWindow(zones: readonly TsZone[], from: number, to: number): RowidWindow | null {
  let first: number | undefined;
  let last: number | undefined;
  for (const { zone, lo, hi } of zones) {
    if (hi < from || lo >= to) continue;
    first ??= zone;
    last = zone;
  }
  if (first === undefined || last === undefined) return null;
  return { lo: first * ZONE_ROWS, hi: (last + 1) * ZONE_ROWS - 1 };
}
