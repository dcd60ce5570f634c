import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import type { LogEvent } from '../../../core/event/types.ts';
import type { Archive, ArchiveBlock, ArchiveFile, ArchivePartition } from '../../../core/ports/archive.ts';
import type { ObjectStore } from '../../../core/ports/objectStore.ts';
import type { TimeRange } from '../../../core/ports/searchStore.ts';
import { concurrently } from './concurrently.ts';
import { ArchiveFileMissingError, ArchiveRowsError } from './errors.ts';
import {
  bytesAsAsyncBuffer,
  decodeEvents,
  decodeRows,
  type EncodeOptions,
  encodeEvents,
  readArchiveMetadata,
  rowGroupSpans,
  type ScanOptions,
} from './eventParquet.ts';
import {
  type ArchivedFile,
  archiveKey,
  DAY_MS,
  datePrefix,
  dayOfFolder,
  HOUR_MS,
  hourPrefix,
  hoursOverlapping,
  parseArchiveKey,
  tenantOfFolder,
  tenantPrefix,
  tryParseArchiveKey,
} from './layout.ts';
import { eventTimeMs } from './storedTime.ts';

/**
 * The Archive port on any ObjectStore: Parquet encoding, the key layout, listing pruned by path, reads
 * pruned by row-group statistics, and retention are all here, once; the stores only move bytes.
 */

export interface ParquetArchive extends Archive {
  /** Files of the hours overlapping the range, with the partition and offsets their names carry. */
  list(range: TimeRange, filters?: { tenant?: string }): Promise<ArchivedFile[]>;
  /** Like read, but decodes only the row groups a time range needs and keeps only events it and the predicate accept. */
  scan(file: ArchiveFile, options?: ScanOptions): Promise<LogEvent[]>;
  /** The files of one tenant's hour: what the archive writer checks before re-archiving replayed offsets. */
  filesOfHour(tenant: string, hour: number): Promise<ArchivedFile[]>;
}

export interface ArchiveOptions {
  encode?: EncodeOptions;
  /** Files larger than this are read by byte ranges (footer, then the row groups needed). Default 8 MiB. */
  rangedReadAbove?: number;
  /** Object-store calls in flight at once when listing or deleting many prefixes. Default 8. */
  concurrency?: number;
}

/** Ranges up to two days are listed one hour folder at a time; longer ones by day folder. */
const MAX_HOUR_PREFIXES = 48;
/** Footers kept for block reads: a search paging through an hour parses each file's footer once. */
const FOOTER_CACHE_FILES = 256;

export function createArchive(store: ObjectStore, options: ArchiveOptions = {}): ParquetArchive {
  const rangedAbove = options.rangedReadAbove ?? 8 * 1024 * 1024;
  const limit = options.concurrency ?? 8;

  async function tenants(tenant: string | undefined): Promise<string[]> {
    if (tenant !== undefined) return [tenant];
    const folders = await store.listFolders('');
    return folders.map(tenantOfFolder).filter((name): name is string => name !== undefined);
  }

  /** Folders to list for one tenant and range: the hours themselves, or the days that exist. */
  async function prefixesFor(tenant: string, range: TimeRange): Promise<string[]> {
    const hours = hoursOverlapping(range, MAX_HOUR_PREFIXES);
    if (hours !== undefined) return hours.map((hour) => hourPrefix(tenant, hour));
    const days = (await store.listFolders(tenantPrefix(tenant))).map(dayOfFolder);
    return days
      .filter((day): day is number => day !== undefined && day < range.to && day + DAY_MS > range.from)
      .map((day) => datePrefix(tenant, day));
  }

  async function filesUnder(prefixes: string[]): Promise<ArchivedFile[]> {
    const listed = await concurrently(prefixes, limit, (prefix) => store.list(prefix));
    return listed.flat().flatMap((object) => tryParseArchiveKey(object.key, object.bytes) ?? []);
  }

  /** The file read by byte ranges: each read fetches only the bytes it asks for. */
  function ranged(file: ArchiveFile): AsyncBuffer {
    return {
      byteLength: file.bytes,
      slice: async (start, end = file.bytes) => {
        const bytes = await store.getRange(file.key, start, end);
        if (bytes === undefined) throw new ArchiveFileMissingError(file.key);
        return bytes.slice().buffer;
      },
    };
  }

  // Files are immutable once written (a rewrite has the same rows): key and size identify a footer.
  const footers = new Map<string, Promise<FileMetaData>>();
  function footer(file: ArchiveFile): Promise<FileMetaData> {
    const id = `${file.key}\u0000${file.bytes}`;
    let metadata = footers.get(id);
    if (metadata === undefined) {
      metadata = readArchiveMetadata(ranged(file));
      metadata.catch(() => footers.delete(id)); // a failed read is not remembered
      if (footers.size >= FOOTER_CACHE_FILES) footers.delete(footers.keys().next().value as string);
      footers.set(id, metadata);
    }
    return metadata;
  }

  async function source(file: ArchiveFile): Promise<AsyncBuffer> {
    // One request for the footer, then one per row group read: the metadata is parsed once and
    // handed to every read, so no range is fetched twice.
    if (file.bytes > rangedAbove) return ranged(file);
    const bytes = await store.get(file.key);
    if (bytes === undefined) throw new ArchiveFileMissingError(file.key);
    return bytesAsAsyncBuffer(bytes);
  }

  const archive: ParquetArchive = {
    async write(partition: ArchivePartition, rows: LogEvent[]): Promise<ArchivedFile> {
      const key = archiveKey(partition);
      checkRows(partition, rows);
      const bytes = encodeEvents(rows, options.encode);
      await store.put(key, bytes);
      return parseArchiveKey(key, bytes.byteLength);
    },

    async list(range, filters) {
      const perTenant = await concurrently(await tenants(filters?.tenant), limit, async (tenant) => {
        const listed = await filesUnder(await prefixesFor(tenant, range));
        // Day folders hold hours outside the range, and a tenant folder only its own tenant's files.
        return listed.filter(
          (f) => f.tenant === tenant && f.hour < range.to && f.hour + HOUR_MS > range.from,
        );
      });
      return perTenant.flat().sort(byHourThenName);
    },

    read(file) {
      return archive.scan(file);
    },

    async scan(file, scanOptions) {
      return decodeEvents(await source(file), scanOptions);
    },

    async blocks(file) {
      return rowGroupSpans(await footer(file)).map(
        (span, index): ArchiveBlock => ({
          index,
          rows: span.rowEnd - span.rowStart,
          minMs: span.minMs,
          maxMs: span.maxMs,
        }),
      );
    },

    async readBlock(file, block, range) {
      const metadata = await footer(file);
      const span = rowGroupSpans(metadata)[block.index];
      if (span === undefined) throw new ArchiveFileMissingError(`${file.key} (row group ${block.index})`);
      return decodeRows(ranged(file), metadata, span.rowStart, span.rowEnd, { range });
    },

    async filesOfHour(tenant, hour) {
      const files = await filesUnder([hourPrefix(tenant, hour)]);
      return files.filter((file) => file.tenant === tenant && file.hour === hour);
    },

    async dropBefore(time, dropOptions = {}) {
      // Tenants with a retention period of their own are dropped in their own step, not this one.
      const spared = new Set(dropOptions.exceptTenants ?? []);
      const targets = (await tenants(dropOptions.tenant)).filter((t) => !spared.has(t));
      const perTenant = await concurrently(targets, limit, async (tenant) => {
        const days = (await store.listFolders(tenantPrefix(tenant))).map(dayOfFolder);
        // Only days that began before the cut-off can hold an hour that ended by it.
        const prefixes = days
          .filter((day): day is number => day !== undefined && day < time)
          .map((day) => datePrefix(tenant, day));
        const files = await filesUnder(prefixes);
        return files
          .filter((file) => file.tenant === tenant && file.hour + HOUR_MS <= time)
          .map((file) => file.key);
      });
      const expired = perTenant.flat().sort();
      if (dropOptions.dryRun !== true && expired.length > 0) await store.delete(expired);
      return expired;
    },
  };
  return archive;
}

/**
 * A file holds one tenant's hour: a row of another tenant would be served to the wrong tenant, and a row
 * outside the hour would be missed by listings pruned by the hour folder.
 */
function checkRows(partition: ArchivePartition, rows: readonly LogEvent[]): void {
  if (rows.length === 0) throw new ArchiveRowsError('an archive file needs at least one event');
  for (const row of rows) {
    if (row.tenant !== partition.tenant) {
      throw new ArchiveRowsError(
        `tenant '${row.tenant}' written to a file of tenant '${partition.tenant}'`,
        row.id,
      );
    }
    const ms = eventTimeMs(row.ts, row.id);
    if (ms < partition.hour || ms >= partition.hour + HOUR_MS) {
      throw new ArchiveRowsError(
        `ts ${row.ts} is outside the file's hour ${new Date(partition.hour).toISOString()}`,
        row.id,
      );
    }
  }
}

function byHourThenName(a: ArchivedFile, b: ArchivedFile): number {
  return a.hour - b.hour || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
