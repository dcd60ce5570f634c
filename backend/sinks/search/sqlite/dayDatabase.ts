import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SQLITE_EVENTS_SCHEMA, type SqliteEventRow } from '../../../../core/query/index.ts';

/**
 * One UTC day of events in its own SQLite file, with exactly SQLITE_EVENTS_SCHEMA (so compileSqlite's
 * WHERE fragments apply unchanged) plus the indexes this store's access paths need.
 */
export const DAY_SCHEMA = `${SQLITE_EVENTS_SCHEMA}
-- Admin searches (tenant = null) page through every tenant in (ts, id) order without sorting.
CREATE INDEX IF NOT EXISTS events_ts ON events (ts, id);
-- trace() looks up one tenant's correlation id; the schema's (correlation_id, ts) index lacks tenant.
CREATE INDEX IF NOT EXISTS events_tenant_correlation ON events (tenant, correlation_id, ts) WHERE correlation_id IS NOT NULL;`;

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

export interface DayRow {
  row: SqliteEventRow;
  tokens: string;
}

export interface DayDatabase {
  readonly day: number;
  readonly db: DatabaseSync;
  /** Writes rows in one transaction; a duplicate id is skipped. Returns how many were new. */
  insert(rows: readonly DayRow[]): number;
  close(): void;
}

export function openDayDatabase(file: string, day: number): DayDatabase {
  const db = new DatabaseSync(file);
  try {
    db.exec(PRAGMAS);
    db.exec(DAY_SCHEMA);
  } catch (error) {
    db.close();
    throw error;
  }
  let insertEvent: StatementSync | undefined;
  let insertTokens: StatementSync | undefined;
  return {
    day,
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
