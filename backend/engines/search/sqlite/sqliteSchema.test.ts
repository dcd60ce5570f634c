import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../../core/event/types.ts';
import { SQLITE_EVENTS_SCHEMA, SqliteRowError, sqliteFtsText, toSqliteRow } from './sqliteSchema.ts';

const event: LogEvent = {
  id: 'e1',
  ts: '2026-11-23T13:00:00.123456789+01:00',
  observed_ts: '2026-11-23T12:00:00.200Z',
  level: 'warn',
  service: 'checkout',
  host: 'node-7',
  tenant: 'acme',
  message: 'Payment-Gateway timeout 🤔ok',
  attrs: { 'http.status': 504, nan: Number.NaN },
};

describe('toSqliteRow', () => {
  it('stores ts as ms rounded down plus normalized text, level as rank, missing fields as NULL', () => {
    const row = toSqliteRow(event);
    assert.equal(row.ts, Date.UTC(2026, 10, 23, 12, 0, 0, 123));
    assert.equal(row.ts_text, '2026-11-23T12:00:00.123456789Z');
    assert.equal(row.level, 3);
    assert.equal(row.env, null);
    assert.equal(row.correlation_id, null);
    assert.equal(row.host, 'node-7');
    assert.deepEqual(JSON.parse(row.attrs), { 'http.status': 504, nan: null });
    assert.deepEqual(JSON.parse(row.body).id, 'e1');
  });

  it('refuses events with an unknown level', () => {
    assert.throws(
      () => toSqliteRow({ ...event, level: 'loud' as LogEvent['level'] }),
      (err: unknown) => err instanceof SqliteRowError && err.code === 'event_invalid',
    );
  });
});

describe('SQLITE_EVENTS_SCHEMA', () => {
  it('creates the tables idempotently and indexes our tokens', () => {
    const db = new DatabaseSync(':memory:');
    db.exec(SQLITE_EVENTS_SCHEMA);
    db.exec(SQLITE_EVENTS_SCHEMA);
    assert.equal(sqliteFtsText(event.message), 'payment gateway timeout ok');
    db.prepare('INSERT INTO events_fts (rowid, tokens) VALUES (?, ?)').run(1, sqliteFtsText(event.message));
    const hit = db.prepare('SELECT rowid FROM events_fts WHERE events_fts MATCH \'"ok"\'').all();
    assert.deepEqual(
      hit.map((row) => row.rowid),
      [1],
    );
    db.prepare('DELETE FROM events_fts WHERE rowid = ?').run(1);
    assert.equal(db.prepare('SELECT rowid FROM events_fts WHERE events_fts MATCH \'"ok"\'').all().length, 0);
  });
});
