import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SQLITE_EVENTS_SCHEMA, type SqliteEventRow } from '../../../../core/query/index.ts';

/**
 * One tenant's events of one UTC day, in its own SQLite file with exactly SQLITE_EVENTS_SCHEMA, so
 * compileSqlite's WHERE fragments apply unchanged. As a file holds one tenant, the schema's
 * (tenant, ts, id) index serves every search in page order, and its (correlation_id, ts) index is a
 * per-tenant trace index.
 */
const PARTITION_SCHEMA = `${SQLITE_EVENTS_SCHEMA}
-- The tenant this file holds: its name carries the tenant only encoded (long ones as a hash).
CREATE TABLE IF NOT EXISTS partition_info (tenant TEXT NOT NULL);`;

/**
 * WAL lets searches read while a batch is written; synchronous=NORMAL syncs at checkpoints only
 * (a power loss can drop the last committed batches, which the bus redelivers: the worker commits
 * its offsets after index() returns, and indexing is idempotent).
 */
const PRAGMAS = `PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA busy_timeout = 5000;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -16000;`;

export interface PartitionRow {
  row: SqliteEventRow;
  tokens: string;
}

export interface PartitionDatabase {
  /** The tenant every row holds; null for a file created by a crashed writer before its first row. */
  readonly tenant: string | null;
  readonly db: DatabaseSync;
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
    db.exec(PARTITION_SCHEMA);
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
  return {
    tenant: owner,
    db,
    insert(rows) {
      insertEvent ??= db.prepare(
        `INSERT OR IGNORE INTO events (id, ts, ts_text, level, service, host, env, tenant, correlation_id, trace_id, span_id, message, attrs, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      insertTokens ??= db.prepare('INSERT INTO events_fts (rowid, tokens) VALUES (?, ?)');
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
          inserted++;
        }
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
