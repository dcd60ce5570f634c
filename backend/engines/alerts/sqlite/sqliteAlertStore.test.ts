import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { StoredAlertError } from '../../../../core/ports/alertStore.ts';
import { openSqliteAlertStore } from './sqliteAlertStore.ts';

describe('SQLite alert store', () => {
  it('keeps rules across reopening the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-alert-store-'));
    try {
      const path = join(dir, 'alerts.db');
      const first = openSqliteAlertStore(path);
      await first.insertRule({
        name: 'kept',
        tenant: 'acme',
        source: 'api',
        query: '',
        windowMs: 60_000,
        op: '>=',
        threshold: 1,
        forMs: 0,
        groupBy: [],
        severity: 'info',
        notify: null,
      });
      await first.close();
      const second = openSqliteAlertStore(path);
      assert.equal((await second.getRule('acme', 'kept'))?.op, '>=');
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a damaged row instead of returning garbage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-alert-store-'));
    try {
      const path = join(dir, 'alerts.db');
      const store = openSqliteAlertStore(path);
      await store.init();
      const db = new DatabaseSync(path);
      db.prepare('INSERT INTO alert_rules VALUES (?, ?, ?, ?)').run('acme', 'broken', '{"query": 5}', 0);
      db.close();
      await assert.rejects(store.getRule('acme', 'broken'), StoredAlertError);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
