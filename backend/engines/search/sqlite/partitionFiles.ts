import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dayLabel, parseDayLabel } from '../../../sinks/search/days.ts';
import { encodeTenant } from '../../../sinks/search/tenantNames.ts';
import { openPartitionDatabase, type PartitionDatabase } from './partitionDatabase.ts';

/**
 * The store's directory: one database per tenant per UTC day, `events-<tenant>-YYYY-MM-DD.db`
 * (tenant encoded as in index names). Retention, global or per tenant, always deletes whole files:
 * instant, and the disk space comes back (DROP TABLE in a shared file would walk every page under
 * the write lock and leave the file as large as before; a tenant's shorter retention would need
 * row-by-row deletes from shared tables).
 *
 * Connections open on demand; the least recently used close beyond `maxOpen`, so a search over a
 * year, many tenants, or events with absurd timestamps cannot exhaust file descriptors.
 */
export interface Partition {
  tenantPart: string;
  day: number;
}

export interface PartitionFiles {
  /** Every partition that has a file, by day then tenant. */
  list(): Partition[];
  fileName(partition: Partition): string;
  /** The partition's database, created for `tenant` if given; without, null when there is no file. */
  open(partition: Partition, tenant?: string): PartitionDatabase | null;
  /** Closes and deletes the partition's files (database, WAL, shared memory). */
  remove(partition: Partition): void;
  closeAll(): void;
}

const FILE = /^events-([a-z0-9_]*)-(\d{4}-\d{2}-\d{2})\.db$/;

export function partitionFileName(partition: Partition): string {
  return `events-${partition.tenantPart}-${dayLabel(partition.day)}.db`;
}

export function partitionOf(tenant: string, day: number): Partition {
  return { tenantPart: encodeTenant(tenant), day };
}

export function openPartitionFiles(dir: string, maxOpen: number): PartitionFiles {
  mkdirSync(dir, { recursive: true });
  const known = new Map<string, Partition>();
  const keyOf = (p: Partition) => `${p.day}:${p.tenantPart}`;
  for (const name of readdirSync(dir)) {
    const match = FILE.exec(name);
    const day = match === null ? null : parseDayLabel(match[2]);
    if (match !== null && day !== null)
      known.set(keyOf({ tenantPart: match[1], day }), { tenantPart: match[1], day });
  }
  const open = new Map<string, PartitionDatabase>();
  const fileName = partitionFileName;

  return {
    fileName,
    list: () => [...known.values()].sort((a, b) => a.day - b.day || (a.tenantPart < b.tenantPart ? -1 : 1)),
    open(partition, tenant) {
      const key = keyOf(partition);
      const cached = open.get(key);
      if (cached !== undefined) {
        // Map keeps insertion order: re-inserting marks the partition most recently used.
        open.delete(key);
        open.set(key, cached);
        return cached;
      }
      if (tenant === undefined && !known.has(key)) return null;
      const database = openPartitionDatabase(join(dir, fileName(partition)), tenant);
      known.set(key, partition);
      open.set(key, database);
      closeBeyond(open, maxOpen);
      return database;
    },
    remove(partition) {
      const key = keyOf(partition);
      open.get(key)?.close();
      open.delete(key);
      known.delete(key);
      // close() checkpointed the WAL; remove it before the database so a crash in between can never
      // leave a WAL to be replayed into a new file of the same name.
      const base = join(dir, fileName(partition));
      for (const suffix of ['-wal', '-shm', '']) rmSync(`${base}${suffix}`, { force: true });
    },
    closeAll() {
      for (const db of open.values()) db.close();
      open.clear();
    },
  };
}

/** Closes the least recently used (first inserted) entries until at most `max` stay open. */
export function closeBeyond(open: Map<string, { close(): void }>, max: number): void {
  for (const [oldest, db] of open) {
    if (open.size <= max) break;
    db.close();
    open.delete(oldest);
  }
}
