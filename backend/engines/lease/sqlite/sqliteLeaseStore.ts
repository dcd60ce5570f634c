import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { LeaseStore } from '../../../../core/ports/leaseStore.ts';

interface LeaseRow {
  holder: string;
  expires_at: number;
}

/**
 * The LeaseStore port on one SQLite file (standalone: `<data dir>/leases.db`), shared by the processes
 * of one machine. Each acquire reads and writes the lease inside one BEGIN IMMEDIATE transaction, which
 * takes the file's write lock first: two processes asking at once are serialized, and the second sees
 * the first one's lease. Expiry uses this machine's clock, the one every process of the file shares.
 */
export function openSqliteLeaseStore(path: string, now: () => number = Date.now): LeaseStore {
  let db: DatabaseSync | null = null;
  const open = (): DatabaseSync => {
    db ??= createLeaseFile(path);
    return db;
  };
  const inTransaction = <T>(work: (database: DatabaseSync) => T): T => {
    const database = open();
    database.exec('BEGIN IMMEDIATE');
    try {
      const result = work(database);
      database.exec('COMMIT');
      return result;
    } catch (error) {
      database.exec('ROLLBACK');
      throw error;
    }
  };

  return {
    async init() {
      open();
    },
    async acquire(name, holder, ttlMs) {
      return inTransaction((database) => {
        const at = now();
        const row = database.prepare('SELECT holder, expires_at FROM leases WHERE name = ?').get(name) as
          | LeaseRow
          | undefined;
        if (row !== undefined && row.holder !== holder && row.expires_at > at) return false;
        database
          .prepare(
            `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`,
          )
          .run(name, holder, at + ttlMs);
        return true;
      });
    },
    async release(name, holder) {
      open().prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
    },
    async holder(name) {
      const row = open().prepare('SELECT holder, expires_at FROM leases WHERE name = ?').get(name) as
        | LeaseRow
        | undefined;
      return row === undefined || row.expires_at <= now()
        ? null
        : { holder: row.holder, expiresAt: row.expires_at };
    },
    async close() {
      db?.close();
      db = null;
    },
  };
}

/** FULL sync: a lease another process was refused must not vanish in a power cut. */
function createLeaseFile(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new DatabaseSync(path, { timeout: 5000 });
  file.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS leases (
      name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID`);
  return file;
}
