import type { LogEvent } from '../../../../core/event/types.ts';
import { levelRank } from '../../../../core/event/types.ts';
import { tokenize } from '../../../../core/query/tokenize.ts';
import { parseTimestamp } from '../../../../core/time/timestamp.ts';

/**
 * The standalone search store's tables; compileSqlite.ts compiles queries against exactly this.
 *
 * - `ts` is integer milliseconds (rounded down), which is what `ts` query terms compare at; `ts_text` is
 *   the normalized RFC 3339 text keeping the input's precision (up to ns). Page order and cursors use
 *   (ts, id): unique and stable, see the (tenant, ts, id) index.
 * - `level` is the rank 0..5 (trace..fatal), so `level>=warn` is an integer comparison.
 * - Optional fields are NULL when absent. `attrs` is the JSON object, `body` the whole event JSON.
 * - `events_fts` does not run SQLite's own tokenizer over `message`: unicode61 uses Unicode 6.1
 *   tables (newer emoji and letters glue onto words, some scripts are not case-folded), so it would
 *   disagree with `evaluate` and OpenSearch. Instead it indexes `sqliteFtsText(message)`, our own
 *   tokens joined by spaces, under the `ascii` tokenizer, which splits exactly at those spaces
 *   (non-ASCII is always token text there, and our ASCII token characters are only [a-z0-9]).
 *   Matching therefore agrees with `evaluate` by construction.
 * - `events_fts` is contentless (the tokens are never read back) with `contentless_delete=1` so
 *   retention can delete rows (SQLite ≥ 3.43). Its rowid is the events rowid.
 *
 * Writing an event: INSERT into events (skip or replace on a duplicate id, which keeps indexing
 * idempotent), then `INSERT INTO events_fts(rowid, tokens) VALUES (<events rowid>, sqliteFtsText(message))`;
 * on replace or delete, `DELETE FROM events_fts WHERE rowid = ?` first. toSqliteRow gives the column values.
 */
export const SQLITE_EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  ts INTEGER NOT NULL,
  ts_text TEXT NOT NULL,
  level INTEGER NOT NULL,
  service TEXT NOT NULL,
  host TEXT,
  env TEXT,
  tenant TEXT NOT NULL,
  correlation_id TEXT,
  trace_id TEXT,
  span_id TEXT,
  message TEXT NOT NULL,
  attrs TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_tenant_ts ON events (tenant, ts, id);
CREATE INDEX IF NOT EXISTS events_correlation ON events (correlation_id, ts) WHERE correlation_id IS NOT NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(
  tokens, content='', contentless_delete=1, tokenize='ascii'
);
`.trim();

/** Column values for one `events` row (everything but rowid), as node:sqlite binds them. */
export interface SqliteEventRow {
  id: string;
  ts: number;
  ts_text: string;
  level: number;
  service: string;
  host: string | null;
  env: string | null;
  tenant: string;
  correlation_id: string | null;
  trace_id: string | null;
  span_id: string | null;
  message: string;
  attrs: string;
  body: string;
}

/** An event that cannot be stored as a row (it should have been normalized upstream). */
export class SqliteRowError extends Error {
  readonly code = 'event_invalid';

  constructor(message: string) {
    super(message);
    this.name = 'SqliteRowError';
  }
}

function optional(value: string | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** Maps a normalized event to its row. Throws TimeInvalidError for an unreadable ts, SqliteRowError for a bad level. */
export function toSqliteRow(event: LogEvent): SqliteEventRow {
  const level = levelRank(event.level);
  if (level < 0)
    throw new SqliteRowError(`event ${event.id} has unknown level '${String(event.level).slice(0, 32)}'`);
  const ts = parseTimestamp(event.ts);
  return {
    id: event.id,
    ts: ts.ms,
    ts_text: ts.iso,
    level,
    service: event.service,
    host: optional(event.host),
    env: optional(event.env),
    tenant: event.tenant,
    correlation_id: optional(event.correlation_id),
    trace_id: optional(event.trace_id),
    span_id: optional(event.span_id),
    message: event.message,
    // JSON.stringify drops nothing a query can see: non-finite numbers become null, which counts as
    // missing both here and in evaluate.
    attrs: JSON.stringify(event.attrs),
    body: JSON.stringify(event),
  };
}

/** What `events_fts.tokens` holds for a message: its tokens, space-separated. */
export function sqliteFtsText(message: string): string {
  return tokenize(message).join(' ');
}
