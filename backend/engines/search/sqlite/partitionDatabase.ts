import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SQLITE_EVENTS_SCHEMA, type SqliteEventRow } from './sqliteSchema.ts';
import { TS_ZONES_BACKFILL, TS_ZONES_SCHEMA, tsZonesOf, UPSERT_TS_ZONE } from './tsZones.ts';

/**
 * `service:x level>=y` (the UI's field filters) counted from this index alone, without reading a
 * row: through (tenant, ts, id) a day's count read every row of the range (0.4 s for a rare service).
 * Files written before it existed get it when the writer first opens them (about 1 s per million
 * events, once); until then, and in files only ever read, searches keep to the other indexes.
 */
const SERVICE_INDEX = 'CREATE INDEX IF NOT EXISTS events_service_level ON events (service, level, ts);';

/**
 * One tenant's events of one UTC day, in its own SQLite file with exactly SQLITE_EVENTS_SCHEMA, so
 * compileSqlite's WHERE fragments apply unchanged. As a file holds one tenant, the schema's
 * (tenant, ts, id) index serves every search in page order, and its (correlation_id, ts) index is a
 * per-tenant trace index.
 */
const PARTITION_SCHEMA = `${SQLITE_EVENTS_SCHEMA}
-- The tenant this file holds: its name carries the tenant only encoded (long ones as a hash).
CREATE TABLE IF NOT EXISTS partition_info (tenant TEXT NOT NULL);
${SERVICE_INDEX}
${TS_ZONES_SCHEMA}`;

/**
 * For every connection. Memory-mapped reads: a search reads rows all over a file, and through the
 * page cache each is a read() into a copy (a third of a FTS-driven count's time); a map costs
 * address space only, as the OS page cache holds the pages either way.
 */
const READ_PRAGMAS = `PRAGMA busy_timeout = 5000;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -16000;
PRAGMA mmap_size = 1073741824;`;

/**
 * WAL lets searches read while a batch is written; synchronous=NORMAL syncs at checkpoints only
 * (a power loss can drop the last committed batches, which the bus redelivers: the worker commits
 * its offsets after index() returns, and indexing is idempotent). 16 KiB pages (a new file's; an
 * existing one keeps its own): rows of ~1 KB and five B-trees (rows, id, three indexes) plus FTS5
 * split and dirty a quarter as many pages per batch, and the WAL carries fewer page frames: about a
 * fifth less CPU per indexed event than the default 4 KiB (docs/benchmarks.md, bench:e2e).
 */
const PRAGMAS = `PRAGMA page_size = 16384;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
${READ_PRAGMAS}`;

export interface PartitionRow {
  row: SqliteEventRow;
  tokens: string;
}

/** What searches need of a partition: its connection and its tenant. */
export interface PartitionReader {
  /** The tenant every row holds; null for a file created by a crashed writer before its first row. */
  readonly tenant: string | null;
  readonly db: DatabaseSync;
  close(): void;
}

export interface PartitionDatabase extends PartitionReader {
  /** Writes rows in one transaction; a duplicate id is skipped. Returns how many were new. */
  insert(rows: readonly PartitionRow[]): number;
  close(): void;
}

/** Opens (with `tenant`: creates if needed) the partition file. */
export function openPartitionDatabase(file: string, tenant?: string): PartitionDatabase {
  const db = new DatabaseSync(file);
  let owner: string | null;
  try {
    db.exec(PRAGMAS);
    db.exec('BEGIN');
    const zoned =
      db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'events_ts_zones'").get() !== undefined;
    db.exec(PARTITION_SCHEMA);
    // A file written before the zones existed gets them once, from its (tenant, ts, id) index.
    if (!zoned) db.exec(TS_ZONES_BACKFILL);
    owner =
      (db.prepare('SELECT tenant FROM partition_info LIMIT 1').get()?.tenant as string | undefined) ?? null;
    if (owner === null && tenant !== undefined) {
      db.prepare('INSERT INTO partition_info (tenant) VALUES (?)').run(tenant);
      owner = tenant;
    }
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    throw error;
  }
  let insertEvent: StatementSync | undefined;
  let insertTokens: StatementSync | undefined;
  let upsertZone: StatementSync | undefined;
  return {
    tenant: owner,
    db,
    insert(rows) {
      insertEvent ??= db.prepare(
        `INSERT OR IGNORE INTO events (id, ts, ts_text, level, service, host, env, tenant, correlation_id, trace_id, span_id, message, attrs, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      insertTokens ??= db.prepare('INSERT INTO events_fts (rowid, tokens) VALUES (?, ?)');
      upsertZone ??= db.prepare(UPSERT_TS_ZONE);
      const zones = tsZonesOf();
      let inserted = 0;
      db.exec('BEGIN');
      try {
        for (const { row, tokens } of rows) {
          const result = insertEvent.run(
            row.id,
            row.ts,
            row.ts_text,
            row.level,
            row.service,
            row.host,
            row.env,
            row.tenant,
            row.correlation_id,
            row.trace_id,
            row.span_id,
            row.message,
            row.attrs,
            row.body,
          );
          // The id was already stored (a redelivered batch): its FTS row exists too, so adding one
          // would index the message twice under a rowid that no event has.
          if (result.changes === 0) continue;
          insertTokens.run(result.lastInsertRowid, tokens);
          zones.add(Number(result.lastInsertRowid), row.ts);
          inserted++;
        }
        // In the rows' transaction, so a reader never sees a row its zone does not cover.
        for (const zone of zones.list()) upsertZone.run(zone.zone, zone.lo, zone.hi);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
      return inserted;
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}

/**
 * Opens an existing partition file read-only, for a reader thread: WAL lets it read while the
 * writer (another connection, maybe another thread) commits. Throws when the file does not exist.
 */
export function openPartitionReader(file: string): PartitionReader {
  const db = new DatabaseSync(file, { readOnly: true });
  let tenant: string | null = null;
  try {
    db.exec(READ_PRAGMAS);
    tenant =
      (db.prepare('SELECT tenant FROM partition_info LIMIT 1').get()?.tenant as string | undefined) ?? null;
  } catch (error) {
    db.close();
    // A writer that just created the file may not have committed its schema yet: nothing to read.
    if (/no such table/.test((error as Error).message)) return { tenant: null, db, close() {} };
    throw error;
  }
  return {
    tenant,
    db,
    close() {
      if (db.isOpen) db.close();
    },
  };
}
