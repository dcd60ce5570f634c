import { DatabaseSync } from 'node:sqlite';
import type { LogEvent } from '../../../../../core/event/types.ts';
import { SQLITE_EVENTS_SCHEMA, sqliteFtsText, toSqliteRow } from '../sqliteSchema.ts';

/** An in-memory database with SQLITE_EVENTS_SCHEMA holding `events`, written the way the schema's comment prescribes. */
export function sqliteWithEvents(events: readonly LogEvent[]): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec(SQLITE_EVENTS_SCHEMA);
  const insertEvent = db.prepare(
    `INSERT INTO events (id, ts, ts_text, level, service, host, env, tenant, correlation_id, trace_id, span_id, message, attrs, body)
     VALUES (:id, :ts, :ts_text, :level, :service, :host, :env, :tenant, :correlation_id, :trace_id, :span_id, :message, :attrs, :body)`,
  );
  const insertTokens = db.prepare('INSERT INTO events_fts (rowid, tokens) VALUES (?, ?)');
  db.exec('BEGIN');
  for (const event of events) {
    const { lastInsertRowid } = insertEvent.run({ ...toSqliteRow(event) });
    insertTokens.run(lastInsertRowid, sqliteFtsText(event.message));
  }
  db.exec('COMMIT');
  return db;
}

/** Ids of the events the WHERE fragment selects, sorted. */
export function selectIds(db: DatabaseSync, where: string, params: Array<string | number>): string[] {
  const rows = db.prepare(`SELECT id FROM events WHERE ${where}`).all(...params);
  return rows.map((row) => String(row.id)).sort();
}
