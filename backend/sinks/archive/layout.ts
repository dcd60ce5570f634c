import type { ArchiveFile, ArchivePartition, ArchiveRange } from '../../../core/ports/archive.ts';
import type { TimeRange } from '../../../core/ports/searchStore.ts';
import { ArchiveKeyError } from './errors.ts';
import { decodeTenant, encodeTenant } from './tenantSegment.ts';

/**
 * Where archive files live (contracts.md §5), relative to the archive root:
 * `tenant=<t>/date=YYYY-MM-DD/hour=HH/p<partition>[-r<source partition>]-<firstOffset>-<lastOffset>.parquet`.
 * Hive-style `name=value` folders, so Spark, DuckDB and Trino read tenant, date and hour as columns; the
 * name carries the bus partition and offset range, so writing the same rows again hits the same key. Rows
 * the processor marked with their logs.raw position are named by it (`-r<n>`, offsets in that partition),
 * so rows a processor replay produced again under new bus offsets still get the first run's name.
 * A file holding the tenant's hour from several partitions (the archiver's files per tenant-hour) names
 * each partition's range, joined by `_`: `p0-r0-100-199_p3-r3-40-87.parquet`.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** First and last hour a `date=YYYY-MM-DD` folder can name. */
const MIN_HOUR = Date.parse('0000-01-01T00:00:00Z');
const MAX_HOUR = Date.UTC(9999, 11, 31, 23);

/**
 * An archive file with what its name says about its rows: its first range (busPartition … lastOffset) and
 * all of them in `ranges`.
 */
export interface ArchivedFile extends ArchiveFile, ArchiveRange {
  ranges: ArchiveRange[];
}

/** Ranges a buffer of the archiver gathers into one file; a file whose name would be too long is split. */
export const MAX_RANGES_PER_FILE = 6;
/** Longest file name: what local file systems allow (S3 allows 1024 bytes for the whole key). */
export const MAX_FILE_NAME_BYTES = 255;

const KEY = /^tenant=([^/]+)\/date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/(p[0-9pr_-]+)\.parquet$/;
const RANGE = /^p(0|[1-9]\d*)(?:-r(0|[1-9]\d*))?-(0|[1-9]\d*)-(0|[1-9]\d*)$/;

export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

export function tenantPrefix(tenant: string): string {
  return `tenant=${encodeTenant(tenant)}/`;
}

export function datePrefix(tenant: string, ms: number): string {
  return `${tenantPrefix(tenant)}date=${isoDate(ms)}/`;
}

export function hourPrefix(tenant: string, hour: number): string {
  checkHour(hour);
  return `${datePrefix(tenant, hour)}hour=${new Date(hour).toISOString().slice(11, 13)}/`;
}

export function archiveKey(partition: ArchivePartition): string {
  const name = fileName([partition, ...(partition.more ?? [])]);
  if (name.length > MAX_FILE_NAME_BYTES)
    throw new ArchiveKeyError(name, `a file name is at most ${MAX_FILE_NAME_BYTES} bytes: name fewer ranges`);
  return `${hourPrefix(partition.tenant, partition.hour)}${name}`;
}

/** `<range>[_<range>…].parquet`, ASCII only (its length is its bytes). */
export function fileName(ranges: readonly ArchiveRange[]): string {
  return `${ranges.map(rangeName).join('_')}.parquet`;
}

function rangeName(range: ArchiveRange): string {
  const { busPartition, sourcePartition, firstOffset, lastOffset } = range;
  if (!Number.isSafeInteger(busPartition) || busPartition < 0) {
    throw new ArchiveKeyError(String(busPartition), 'bus partition must be an integer ≥ 0');
  }
  if (sourcePartition !== undefined && (!Number.isSafeInteger(sourcePartition) || sourcePartition < 0)) {
    throw new ArchiveKeyError(String(sourcePartition), 'source partition must be an integer ≥ 0');
  }
  if (
    typeof firstOffset !== 'bigint' ||
    typeof lastOffset !== 'bigint' ||
    firstOffset < 0n ||
    lastOffset < firstOffset
  ) {
    throw new ArchiveKeyError(
      `${firstOffset}-${lastOffset}`,
      'offsets must be bigints with 0 ≤ first ≤ last',
    );
  }
  const source = sourcePartition === undefined ? '' : `-r${sourcePartition}`;
  return `p${busPartition}${source}-${firstOffset}-${lastOffset}`;
}

/** The file a key names; throws ArchiveKeyError for any key this layout would not write. */
export function parseArchiveKey(key: string, bytes: number): ArchivedFile {
  const match = KEY.exec(key);
  const ranges = match?.[4].split('_').map((text) => RANGE.exec(text));
  if (match === null || ranges === undefined || ranges.some((range) => range === null))
    throw new ArchiveKeyError(
      key,
      'not tenant=…/date=YYYY-MM-DD/hour=HH/p<partition>[-r<source partition>]-<first>-<last>[_…].parquet',
    );
  const [, segment, date, hh] = match;
  const hour = Date.parse(`${date}T${hh}:00:00Z`);
  if (Number.isNaN(hour) || isoDate(hour) !== date)
    throw new ArchiveKeyError(key, `no such date ${date} ${hh}h`);
  const parsed = ranges.map((range): ArchiveRange => {
    const [, partition, source, first, last] = range as RegExpExecArray;
    const firstOffset = BigInt(first);
    const lastOffset = BigInt(last);
    if (lastOffset < firstOffset) throw new ArchiveKeyError(key, 'last offset is before the first');
    return {
      busPartition: Number(partition),
      ...(source === undefined ? {} : { sourcePartition: Number(source) }),
      firstOffset,
      lastOffset,
    };
  });
  return { key, tenant: decodeTenant(segment), hour, bytes, ...parsed[0], ranges: parsed };
}

/** Like parseArchiveKey, but undefined for keys that are not archive files (listings skip them). */
export function tryParseArchiveKey(key: string, bytes: number): ArchivedFile | undefined {
  try {
    return parseArchiveKey(key, bytes);
  } catch (error) {
    if (error instanceof ArchiveKeyError) return undefined; // a foreign object under the root: not ours to list
    throw error;
  }
}

/** The tenant of a `tenant=<t>` folder name, undefined for other names. */
export function tenantOfFolder(name: string): string | undefined {
  if (!name.startsWith('tenant=')) return undefined;
  try {
    return decodeTenant(name.slice('tenant='.length));
  } catch (error) {
    if (error instanceof ArchiveKeyError) return undefined; // not a folder this layout writes
    throw error;
  }
}

/** Start (ms) of the day a `date=YYYY-MM-DD` folder names, undefined for other names. */
export function dayOfFolder(name: string): number | undefined {
  const match = /^date=(\d{4}-\d{2}-\d{2})$/.exec(name);
  if (match === null) return undefined;
  const day = Date.parse(`${match[1]}T00:00:00Z`);
  return Number.isNaN(day) || isoDate(day) !== match[1] ? undefined : day;
}

/**
 * Hour starts overlapping [from, to), or undefined when there are more than `limit` (a long range is
 * cheaper to list by day folders than by one prefix per hour).
 */
export function hoursOverlapping(range: TimeRange, limit: number): number[] | undefined {
  if (!(range.to > range.from)) return [];
  const first = hourStart(Math.max(range.from, MIN_HOUR));
  const end = Math.min(range.to, MAX_HOUR + HOUR_MS);
  if ((end - first) / HOUR_MS > limit) return undefined;
  const hours: number[] = [];
  for (let hour = first; hour < end; hour += HOUR_MS) hours.push(hour);
  return hours;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function checkHour(hour: number): void {
  if (!Number.isSafeInteger(hour) || hour % HOUR_MS !== 0 || hour < MIN_HOUR || hour > MAX_HOUR) {
    throw new ArchiveKeyError(
      String(hour),
      'hour must be the start of a UTC hour between years 0000 and 9999',
    );
  }
}
