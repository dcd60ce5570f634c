import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dayLabel, parseDayLabel } from '../days.ts';
import { type DayDatabase, openDayDatabase } from './dayDatabase.ts';

/**
 * The store's directory: one database per UTC day, `events-YYYY-MM-DD.db`. Retention deletes a
 * day's file, which is instant and gives the disk space back (DROP TABLE in a shared file would
 * walk every page under the write lock and leave the file as large as before).
 *
 * Connections are opened on demand and the least recently used are closed beyond `maxOpen`, so
 * a search over a year, or events with absurd timestamps, cannot exhaust file descriptors.
 */
export interface DayFiles {
  readonly dir: string;
  /** Days that have a file, ascending. */
  days(): number[];
  fileName(day: number): string;
  /** The day's database; with `create` false, null when the day has no file. */
  open(day: number, create: boolean): DayDatabase | null;
  /** Closes and deletes the day's files (database, WAL, shared memory). */
  remove(day: number): void;
  closeAll(): void;
}

const FILE = /^events-(\d{4}-\d{2}-\d{2})\.db$/;

export function openDayFiles(dir: string, maxOpen: number): DayFiles {
  mkdirSync(dir, { recursive: true });
  const known = new Set<number>();
  for (const name of readdirSync(dir)) {
    const match = FILE.exec(name);
    const day = match === null ? null : parseDayLabel(match[1]);
    if (day !== null) known.add(day);
  }
  const open = new Map<number, DayDatabase>();
  const fileName = (day: number) => `events-${dayLabel(day)}.db`;

  return {
    dir,
    fileName,
    days: () => [...known].sort((a, b) => a - b),
    open(day, create) {
      const cached = open.get(day);
      if (cached !== undefined) {
        // Map keeps insertion order: re-inserting marks the day most recently used.
        open.delete(day);
        open.set(day, cached);
        return cached;
      }
      if (!create && !known.has(day)) return null;
      const database = openDayDatabase(join(dir, fileName(day)), day);
      known.add(day);
      open.set(day, database);
      for (const [oldest, db] of open) {
        if (open.size <= maxOpen) break;
        db.close();
        open.delete(oldest);
      }
      return database;
    },
    remove(day) {
      open.get(day)?.close();
      open.delete(day);
      known.delete(day);
      // close() checkpointed the WAL; remove it before the database so a crash in between can never
      // leave a WAL to be replayed into a new file of the same name.
      const base = join(dir, fileName(day));
      for (const suffix of ['-wal', '-shm', '']) rmSync(`${base}${suffix}`, { force: true });
    },
    closeAll() {
      for (const db of open.values()) db.close();
      open.clear();
    },
  };
}
