import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { LogEvent } from '../../../core/event/types.ts';
import type { TimeRange } from '../../../core/ports/searchStore.ts';
import { ArchiveFormatError, ArchiveRowsError } from './errors.ts';
import {
  eventColumnData,
  eventFromRow,
  eventSchema,
  idKindOf,
  REQUIRED_COLUMNS,
  SCHEMA_VERSION,
  type TimedEvent,
  uuidText,
} from './eventColumns.ts';
import { microsToMs, storeTime } from './storedTime.ts';
import { ARCHIVE_DECOMPRESSORS, DEFAULT_ZSTD_LEVEL, zstdCompressor } from './zstdCodec.ts';

/**
 * Events ⇄ Parquet files. Writing sorts by event time, so each row group covers a narrow time span and
 * its ts min/max statistics let a reader skip it; reading uses those statistics to decode only the row
 * groups a time range needs, then filters rows by the exact range and an optional predicate.
 */

export interface EncodeOptions {
  /** Rows per row group: the unit of time pruning and of memory when reading. Default 20 000. */
  rowGroupRows?: number;
  zstdLevel?: number;
}

export interface ScanOptions {
  /** Only events with ms(ts) in [from, to). */
  range?: TimeRange;
  /** Only events it accepts, e.g. compileToPredicate(ast) from core/query. */
  predicate?: (event: LogEvent) => boolean;
}

export const DEFAULT_ROW_GROUP_ROWS = 20_000;

/** Reads timestamps as bigint µs (hyparquet would round them to a Date in ms), and UUIDs faster. */
const PARSERS = { timestampFromMicroseconds: (micros: bigint) => micros, uuidFromBytes: uuidText };

export function encodeEvents(events: readonly LogEvent[], options: EncodeOptions = {}): Uint8Array {
  if (events.length === 0) throw new ArchiveRowsError('an archive file needs at least one event');
  const rows: TimedEvent[] = events.map((event) => ({
    event,
    ts: storeTime(event.ts, event.id),
    observed: storeTime(event.observed_ts, event.id),
  }));
  // Array#sort is stable: events with the same time keep their bus order.
  rows.sort((a, b) => a.ts.ms - b.ts.ms || a.ts.nanos - b.ts.nanos);
  const idKind = idKindOf(events);
  const buffer = parquetWriteBuffer({
    columnData: eventColumnData(rows, idKind),
    schema: eventSchema(idKind),
    codec: 'ZSTD',
    compressors: { ZSTD: zstdCompressor(options.zstdLevel ?? DEFAULT_ZSTD_LEVEL) },
    rowGroupSize: options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS,
    kvMetadata: [{ key: 'sluice.schema_version', value: SCHEMA_VERSION }],
    createdBy: 'sluice archive',
  });
  return new Uint8Array(buffer);
}

/** A whole file in memory as hyparquet's AsyncBuffer. */
export function bytesAsAsyncBuffer(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice: (start, end) =>
      bytes.buffer.slice(
        bytes.byteOffset + start,
        bytes.byteOffset + (end ?? bytes.byteLength),
      ) as ArrayBuffer,
  };
}

export async function readArchiveMetadata(file: AsyncBuffer): Promise<FileMetaData> {
  const metadata = await parquetMetadataAsync(file, { parsers: PARSERS });
  const names = new Set(metadata.schema.map((element) => element.name));
  const missing = REQUIRED_COLUMNS.filter((name) => !names.has(name));
  if (missing.length > 0) throw new ArchiveFormatError(`no column ${missing.join(', ')}`);
  return metadata;
}

/**
 * Half-open row ranges of the row groups whose ts statistics overlap the range, adjacent groups merged
 * (one read each). A group without statistics is always read: pruning may only skip what cannot match.
 */
export function rowRangesFor(metadata: FileMetaData, range?: TimeRange): Array<[number, number]> {
  const from = range && Number.isFinite(range.from) ? Math.ceil(range.from) : Number.NEGATIVE_INFINITY;
  const to = range && Number.isFinite(range.to) ? Math.ceil(range.to) : Number.POSITIVE_INFINITY;
  const ranges: Array<[number, number]> = [];
  for (const { rowStart, rowEnd, minMs, maxMs } of rowGroupSpans(metadata)) {
    if (minMs >= to || maxMs < from) continue;
    const last = ranges.at(-1);
    if (last !== undefined && last[1] === rowStart) last[1] = rowEnd;
    else ranges.push([rowStart, rowEnd]);
  }
  return ranges;
}

export async function decodeEvents(
  source: Uint8Array | AsyncBuffer,
  options: ScanOptions = {},
): Promise<LogEvent[]> {
  const file = source instanceof Uint8Array ? bytesAsAsyncBuffer(source) : source;
  const metadata = await readArchiveMetadata(file);
  const events: LogEvent[] = [];
  for (const [rowStart, rowEnd] of rowRangesFor(metadata, options.range)) {
    for (const event of await decodeRows(file, metadata, rowStart, rowEnd, options)) events.push(event);
  }
  return events;
}

/** One row group: its rows and the time span (ms) its statistics give (±Infinity without statistics). */
export interface RowGroupSpan {
  rowStart: number;
  rowEnd: number;
  minMs: number;
  maxMs: number;
}

export function rowGroupSpans(metadata: FileMetaData): RowGroupSpan[] {
  const spans: RowGroupSpan[] = [];
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const stats = group.columns.find((chunk) => chunk.meta_data?.path_in_schema[0] === 'ts')?.meta_data
      ?.statistics;
    const min = stats?.min_value;
    const max = stats?.max_value;
    spans.push({
      rowStart,
      rowEnd,
      minMs: typeof min === 'bigint' ? microsToMs(min) : Number.NEGATIVE_INFINITY,
      maxMs: typeof max === 'bigint' ? microsToMs(max) : Number.POSITIVE_INFINITY,
    });
    rowStart = rowEnd;
  }
  return spans;
}

/** Rows [rowStart, rowEnd) as events, those in the range and accepted by the predicate only. */
export async function decodeRows(
  file: AsyncBuffer,
  metadata: FileMetaData,
  rowStart: number,
  rowEnd: number,
  options: ScanOptions = {},
): Promise<LogEvent[]> {
  const { range, predicate } = options;
  const rows = await parquetReadObjects({
    file,
    metadata,
    rowStart,
    rowEnd,
    compressors: ARCHIVE_DECOMPRESSORS,
    parsers: PARSERS,
  });
  const events: LogEvent[] = [];
  for (const row of rows) {
    if (range !== undefined) {
      const ms = microsToMs(row.ts as bigint);
      if (ms < range.from || ms >= range.to) continue;
    }
    const event = eventFromRow(row);
    if (predicate === undefined || predicate(event)) events.push(event);
  }
  return events;
}
