import type { LogEvent } from '../event/types.ts';
import type { RetentionScope, TimeRange } from './searchStore.ts';

/**
 * Archive port: hourly Parquet files (S3, or a local directory in standalone) under
 * `tenant=<t>/date=YYYY-MM-DD/hour=HH/`, named by the bus partitions and offset ranges of their rows.
 * `write` is atomic: a file is visible only when complete, and writing the same name again overwrites,
 * so a retried flush never duplicates.
 */

/** One bus partition's offset range in a file: every row of the file's tenant and hour read from it in the range. */
export interface ArchiveRange {
  /** Bus partition and offset range of the rows, which name the file. */
  busPartition: number;
  /**
   * When set, the offsets are positions in this logs.raw partition (where the processor read the rows)
   * instead of bus offsets: a processor replay then names its rows as the first run did.
   */
  sourcePartition?: number;
  firstOffset: bigint;
  lastOffset: bigint;
}

export interface ArchivePartition extends ArchiveRange {
  tenant: string;
  /** Hour start, ms since the epoch (UTC). */
  hour: number;
  /** Further ranges, for a file that holds the tenant's hour from several partitions; each names the file too. */
  more?: ArchiveRange[];
}

export interface ArchiveFile {
  /** Key relative to the archive root, e.g. `tenant=acme/date=2026-11-23/hour=12/p3-100-199.parquet`. */
  key: string;
  tenant: string;
  hour: number;
  bytes: number;
}

/** A part of a file that can be read alone (a Parquet row group), with the time span of its events. */
export interface ArchiveBlock {
  /** Position in the file (0-based). */
  index: number;
  rows: number;
  /** Earliest and latest event time in it, ms (±Infinity when the file does not say). */
  minMs: number;
  maxMs: number;
}

export interface Archive {
  write(partition: ArchivePartition, rows: LogEvent[]): Promise<ArchiveFile>;
  /** Files whose hour overlaps the range, pruned by the partition path. */
  list(range: TimeRange, filters?: { tenant?: string }): Promise<ArchiveFile[]>;
  read(file: ArchiveFile): Promise<LogEvent[]>;
  /** The file's blocks, from its footer alone: a reader can then decode only those it needs. */
  blocks(file: ArchiveFile): Promise<ArchiveBlock[]>;
  /** The events of one block, only those with a time in `range` when it is given. */
  readBlock(file: ArchiveFile, block: ArchiveBlock, range?: TimeRange): Promise<LogEvent[]>;
  /** Deletes objects whose hour ended before `time` (see RetentionScope); returns their keys. */
  dropBefore(time: number, options?: RetentionScope): Promise<string[]>;
}
