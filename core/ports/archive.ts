import type { LogEvent } from '../event/types.ts';
import type { RetentionScope, TimeRange } from './searchStore.ts';

/**
 * Archive port: hourly Parquet files (S3, or a local directory in standalone) under
 * `tenant=<t>/date=YYYY-MM-DD/hour=HH/`, named by bus partition and offset range.
 * `write` is atomic: a file is visible only when complete, and writing the same name again overwrites,
 * so a retried flush never duplicates.
 */

export interface ArchivePartition {
  tenant: string;
  /** Hour start, ms since the epoch (UTC). */
  hour: number;
  /** Bus partition and offset range of the rows, which name the file. */
  busPartition: number;
  firstOffset: bigint;
  lastOffset: bigint;
}

export interface ArchiveFile {
  /** Key relative to the archive root, e.g. `tenant=acme/date=2026-11-23/hour=12/p3-100-199.parquet`. */
  key: string;
  tenant: string;
  hour: number;
  bytes: number;
}

export interface Archive {
  write(partition: ArchivePartition, rows: LogEvent[]): Promise<ArchiveFile>;
  /** Files whose hour overlaps the range, pruned by the partition path. */
  list(range: TimeRange, filters?: { tenant?: string }): Promise<ArchiveFile[]>;
  read(file: ArchiveFile): Promise<LogEvent[]>;
  /** Deletes objects whose hour ended before `time` (see RetentionScope); returns their keys. */
  dropBefore(time: number, options?: RetentionScope): Promise<string[]>;
}
