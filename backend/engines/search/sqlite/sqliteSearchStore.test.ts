import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { DAY_MS } from '../../../sinks/search/days.ts';
import { event, T0 } from '../contract/contractEvents.ts';
import { compareAsSqlite } from './partitionSearch.ts';
import { openSqliteSearchStore } from './sqliteSearchStore.ts';

describe('SQLite search store layout', () => {
  it('keeps one database file per tenant per UTC day and deletes the file when the day expires', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-search-'));
    try {
      const store = openSqliteSearchStore({ path: dir });
      await store.init();
      await store.index([
        event('a', 't', T0),
        event('b', 't', T0 + DAY_MS),
        event('c', 't', T0 + DAY_MS + 1),
      ]);
      await store.index([event('d', 'Acme', T0)]);
      const files = (await readdir(dir)).filter((name) => name.endsWith('.db')).sort();
      assert.deepEqual(files, [
        'events-_41_cme-2026-11-23.db',
        'events-t-2026-11-23.db',
        'events-t-2026-11-24.db',
      ]);
      assert.deepEqual(await store.dropBefore(Date.UTC(2026, 10, 24), { tenant: 't' }), [
        'events-t-2026-11-23.db',
      ]);
      assert.equal(existsSync(join(dir, 'events-t-2026-11-23.db')), false);
      assert.equal(existsSync(join(dir, 'events-_41_cme-2026-11-23.db')), true);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds its days again after a restart, with few connections open at a time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-search-'));
    try {
      const events = Array.from({ length: 6 }, (_, i) => event(`r-${i}`, 't', T0 + i * DAY_MS));
      const first = openSqliteSearchStore({ path: dir, maxOpenFiles: 2 });
      await first.init();
      await first.index(events);
      await first.close();
      const second = openSqliteSearchStore({ path: dir, maxOpenFiles: 2 });
      await second.init();
      await second.index(events); // still idempotent across restarts and closed connections
      const page = await second.search({
        tenant: 't',
        range: { from: T0, to: T0 + 7 * DAY_MS },
        limit: 10,
        order: 'desc',
      });
      assert.deepEqual(
        page.hits.map((hit) => hit.id),
        events.map((e) => e.id).reverse(),
      );
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('merging partitions', () => {
  it('orders ids exactly as SQLite does, so merged pages and cursors agree', () => {
    const db = new DatabaseSync(':memory:');
    const ids = ['a', 'b', 'B', '\uffff', '\ue000', '😀', '𝔸', 'a😀', 'a\uffff', 'é', '', 'aa', '\u0000'];
    const sqliteOrder = db
      .prepare(`SELECT value FROM json_each(?) ORDER BY value`)
      .all(JSON.stringify(ids))
      .map((row) => row.value as string);
    assert.deepEqual([...ids].sort(compareAsSqlite), sqliteOrder);
    db.close();
  });
});
