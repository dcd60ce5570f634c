import type { SchemaElement } from 'hyparquet';
import type { ColumnSource } from 'hyparquet-writer';
import type { AttrValue, LogEvent } from '../../../core/event/types.ts';
import { UUID_PATTERN } from '../../../core/ids/uuidv7.ts';
import { ArchiveRowsError } from './errors.ts';
import { restoreTime, type StoredTime } from './storedTime.ts';

/**
 * The Parquet schema of archived events (docs/archive.md has the table) and the mapping between events
 * and columns. One column per reserved field, so any Parquet reader sees the events without Sluice:
 * times as INT64 timestamps, attrs as a JSON column; `ts_text` / `observed_ts_text` are null except for
 * the rare times microseconds cannot give back exactly (see storedTime.ts).
 */

export const SCHEMA_VERSION = '1';

/** `uuid` when every id in the file is a lower-case UUID: 16 bytes instead of ~19 compressed as text. */
export type IdKind = 'uuid' | 'string';

/** An event about to be written, with its times already read. */
export interface TimedEvent {
  event: LogEvent;
  ts: StoredTime;
  observed: StoredTime;
}

const UTF8 = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;
const TIMESTAMP = {
  type: 'INT64',
  converted_type: 'TIMESTAMP_MICROS',
  logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
} as const;
const REQUIRED_STRINGS = ['id', 'level', 'service', 'tenant', 'message'] as const;
const OPTIONAL_STRINGS = ['host', 'env', 'correlation_id', 'trace_id', 'span_id'] as const;
type RequiredField = (typeof REQUIRED_STRINGS)[number];
type OptionalField = (typeof OPTIONAL_STRINGS)[number];

export function idKindOf(events: readonly LogEvent[]): IdKind {
  return events.every((event) => UUID_PATTERN.test(event.id)) ? 'uuid' : 'string';
}

export function eventSchema(idKind: IdKind): SchemaElement[] {
  const required = (name: string, element: Omit<SchemaElement, 'name'>) =>
    ({ name, repetition_type: 'REQUIRED', ...element }) as SchemaElement;
  const optional = (name: string, element: Omit<SchemaElement, 'name'>) =>
    ({ name, repetition_type: 'OPTIONAL', ...element }) as SchemaElement;
  const columns: SchemaElement[] = [
    idKind === 'uuid'
      ? required('id', { type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, logical_type: { type: 'UUID' } })
      : required('id', UTF8),
    required('ts', TIMESTAMP),
    required('observed_ts', TIMESTAMP),
    required('level', UTF8),
    required('service', UTF8),
    optional('host', UTF8),
    optional('env', UTF8),
    required('tenant', UTF8),
    optional('correlation_id', UTF8),
    optional('trace_id', UTF8),
    optional('span_id', UTF8),
    required('message', UTF8),
    required('attrs', { type: 'BYTE_ARRAY', converted_type: 'JSON', logical_type: { type: 'JSON' } }),
    optional('ts_text', UTF8),
    optional('observed_ts_text', UTF8),
  ];
  return [{ name: 'root', num_children: columns.length }, ...columns];
}

/**
 * Column data for rows already sorted by time. Encodings are chosen per column: delta for the
 * near-monotonic timestamps, dictionaries for the few-valued names; statistics only where a reader can
 * prune on them (min/max of a message or a random id prunes nothing and only grows the footer).
 */
export function eventColumnData(rows: readonly TimedEvent[], idKind: IdKind): ColumnSource[] {
  const column = (name: string, data: unknown[], options: Partial<ColumnSource> = PLAIN): ColumnSource => ({
    name,
    data,
    ...options,
  });
  const required = (field: RequiredField) => rows.map((row) => requiredText(row.event, field));
  const optional = (field: OptionalField) => rows.map((row) => optionalText(row.event, field));
  const ids = idKind === 'uuid' ? rows.map((row) => uuidBytes(row.event.id)) : required('id');
  const ts = rows.map((row) => row.ts.micros);
  const observed = rows.map((row) => row.observed.micros);
  const attrs = rows.map((row) => attrsOf(row.event));
  const tsText = rows.map((row) => row.ts.text);
  const observedText = rows.map((row) => row.observed.text);
  return [
    column('id', ids),
    column('ts', ts, TIME),
    column('observed_ts', observed, TIME),
    column('level', required('level'), DICTIONARY),
    column('service', required('service'), DICTIONARY),
    column('host', optional('host'), { statistics: true }),
    column('env', optional('env'), DICTIONARY),
    column('tenant', required('tenant'), DICTIONARY),
    column('correlation_id', optional('correlation_id')),
    column('trace_id', optional('trace_id')),
    column('span_id', optional('span_id')),
    column('message', required('message')),
    column('attrs', attrs),
    column('ts_text', tsText),
    column('observed_ts_text', observedText),
  ];
}

const PLAIN = { statistics: false } as const;
const TIME = { encoding: 'DELTA_BINARY_PACKED', statistics: true } as const;
const DICTIONARY = { encoding: 'RLE_DICTIONARY', statistics: true } as const;

/** The 16 bytes of a lower-case UUID (idKindOf checked the shape); hyparquet-writer's own parse is 5% of encoding. */
function uuidBytes(id: string): Uint8Array {
  const bytes = new Uint8Array(16);
  for (let i = 0, at = 0; i < 16; i++, at += 2) {
    if (id.charCodeAt(at) === DASH) at++;
    bytes[i] = (nibble(id.charCodeAt(at)) << 4) | nibble(id.charCodeAt(at + 1));
  }
  return bytes;
}

const DASH = 45;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A UUID column value as text; hyparquet's default is 10% of decoding. */
export function uuidText(b: Uint8Array): string {
  return `${HEX[b[0]]}${HEX[b[1]]}${HEX[b[2]]}${HEX[b[3]]}-${HEX[b[4]]}${HEX[b[5]]}-${HEX[b[6]]}${HEX[b[7]]}-${HEX[b[8]]}${HEX[b[9]]}-${HEX[b[10]]}${HEX[b[11]]}${HEX[b[12]]}${HEX[b[13]]}${HEX[b[14]]}${HEX[b[15]]}`;
}

/** Value of a lower-case hex digit's char code: '0'–'9' are 48–57, 'a'–'f' are 97–102. */
function nibble(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

/**
 * Throws ArchiveRowsError unless the event's fields have the types its columns need. The writer checks
 * each event as it arrives, so one malformed event is rejected alone instead of failing a whole file.
 */
export function checkEventFields(event: LogEvent): void {
  for (const field of REQUIRED_STRINGS) requiredText(event, field);
  for (const field of OPTIONAL_STRINGS) optionalText(event, field);
  attrsOf(event);
}

function requiredText(event: LogEvent, field: RequiredField): string {
  const value = event[field];
  if (typeof value !== 'string') {
    throw new ArchiveRowsError(
      `'${field}' must be a string, got ${typeof value}`,
      field === 'id' ? undefined : event.id,
    );
  }
  return value;
}

function optionalText(event: LogEvent, field: OptionalField): string | null {
  const value = event[field];
  if (value === undefined) return null;
  if (typeof value !== 'string') {
    throw new ArchiveRowsError(`'${field}' must be a string when present, got ${typeof value}`, event.id);
  }
  return value;
}

function attrsOf(event: LogEvent): Record<string, AttrValue> {
  const attrs = event.attrs;
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) {
    throw new ArchiveRowsError("'attrs' must be an object", event.id);
  }
  return attrs;
}

/** A decoded row (hyparquet object form, times as bigint µs) back to the event it was written from. */
export function eventFromRow(row: Record<string, unknown>): LogEvent {
  // Built in the contract's field order, so the event serializes as it did before it was archived;
  // absent optional fields stay absent (the event type's convention), not null.
  const event = {
    id: row.id,
    ts: restoreTime(row.ts as bigint, row.ts_text as string | null),
    observed_ts: restoreTime(row.observed_ts as bigint, row.observed_ts_text as string | null),
    level: row.level,
    service: row.service,
  } as Record<string, unknown>;
  if (row.host != null) event.host = row.host;
  if (row.env != null) event.env = row.env;
  event.tenant = row.tenant;
  if (row.correlation_id != null) event.correlation_id = row.correlation_id;
  if (row.trace_id != null) event.trace_id = row.trace_id;
  if (row.span_id != null) event.span_id = row.span_id;
  event.message = row.message;
  event.attrs = row.attrs;
  return event as unknown as LogEvent;
}

/** Columns the decoder needs; a file without them was not written by this archive. */
export const REQUIRED_COLUMNS = ['id', 'ts', 'observed_ts', 'level', 'service', 'tenant', 'message', 'attrs'];
