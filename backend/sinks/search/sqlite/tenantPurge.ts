import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DayFiles } from './dayFiles.ts';

/** Rows deleted per transaction: small enough that ingest and searches run between batches. */
const BATCH = 5_000;

/**
 * Deletes one tenant's events from one day, for a tenant whose retention is shorter than the
 * global one (day files are shared by tenants, so only the global cut-off can delete files).
 * Bounded batches by rowid, each its own transaction, yielding in between; the FTS rows go in the
 * same transaction as their events. Returns how many events were deleted.
 */
export async function purgeTenantDay(files: DayFiles, day: number, tenant: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    // Re-opened every batch: the connection may have been closed (LRU) while this awaited.
    const database = files.open(day, false);
    if (database === null) return deleted;
    const { db } = database;
    // The rowids are read first so both deletes name exactly the same events.
    const rowids = db
      .prepare('SELECT rowid FROM events WHERE tenant = ? LIMIT ?')
      .all(tenant, BATCH)
      .map((row) => Number(row.rowid));
    if (rowids.length === 0) return deleted;
    const ids = JSON.stringify(rowids);
    db.exec('BEGIN');
    try {
      db.prepare('DELETE FROM events_fts WHERE rowid IN (SELECT value FROM json_each(?))').run(ids);
      db.prepare('DELETE FROM events WHERE rowid IN (SELECT value FROM json_each(?))').run(ids);
      db.exec('COMMIT');
      deleted += rowids.length;
      if (rowids.length < BATCH) return deleted;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    await yieldToEventLoop();
  }
}

/** Whether the day holds no events at all (its file can then go). */
export function dayIsEmpty(files: DayFiles, day: number): boolean {
  const database = files.open(day, false);
  return database === null || database.db.prepare('SELECT 1 FROM events LIMIT 1').get() === undefined;
}

export function countTenantDay(files: DayFiles, day: number, tenant: string): number {
  const database = files.open(day, false);
  if (database === null) return 0;
  return Number(database.db.prepare('SELECT count(*) AS n FROM events WHERE tenant = ?').get(tenant)?.n ?? 0);
}
