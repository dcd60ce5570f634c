import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../../core/event/types.ts';
import { TRICKY } from '../../../../core/query/testing/trickyTexts.ts';
import { tokenize } from '../../../../core/query/tokenize.ts';
import { sqliteWithEvents } from './testing/sqliteEvents.ts';

describe('SQLite FTS tokens', () => {
  it('is what the SQLite FTS index holds, token for token, even where unicode61 would differ', () => {
    const events: LogEvent[] = TRICKY.map((message, i) => ({
      id: `e${i}`,
      ts: '2026-11-23T12:00:00Z',
      observed_ts: '2026-11-23T12:00:00Z',
      level: 'info',
      service: 's',
      tenant: 't',
      message,
      attrs: {},
    }));
    const db = sqliteWithEvents(events);
    db.exec("CREATE VIRTUAL TABLE vocab USING fts5vocab(events_fts, 'instance')");
    const rows = db.prepare('SELECT doc, term FROM vocab ORDER BY doc, offset').all();
    events.forEach((event, i) => {
      const indexed = rows.filter((row) => row.doc === i + 1).map((row) => String(row.term));
      assert.deepEqual(indexed, tokenize(event.message), event.message);
    });
  });
});
