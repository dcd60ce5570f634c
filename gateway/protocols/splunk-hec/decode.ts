import { concatenatedJson } from '../../body/jsonArrays.ts';
import { INVALID_UTF8, ndjsonLines } from '../../body/lines.ts';
import { tooManyRecords } from '../../body/recordLimit.ts';
import { problem } from '../../ingest/ingestBatch.ts';
import { HecError } from './answer.ts';

/** The metadata HEC puts beside an event (or in the query string of a raw request). */
const METADATA = ['sourcetype', 'source', 'index'] as const;

/**
 * A batch of HEC events, `{"event": …, "time", "host", "source", "sourcetype", "index", "fields"}`
 * concatenated with or without whitespace between them, to records, refused (413) past `maxRecords`
 * before any is parsed. A string event is the message, an object event the record's fields; `time`
 * (epoch seconds) is the event time, `host` the host; `sourcetype`, `source`, `index` and the indexed
 * `fields` become attributes. The query string's `host`, `source`, … apply where an event has none.
 */
export function decodeHecEvents(raw: Buffer, maxRecords: number, query: URLSearchParams): unknown[] {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw new HecError(400, 5, 'No data');
  const events = concatenatedJson(text, maxRecords);
  if (events === undefined) throw new HecError(400, 6, 'Invalid data format');
  return events.map((event) => hecRecord(event, query));
}

/** A raw HEC request: each non-blank line is one event's message; its metadata is in the query string. */
export function decodeHecRaw(raw: Buffer, maxRecords: number, query: URLSearchParams): unknown[] {
  const records: unknown[] = [];
  for (const line of ndjsonLines(raw)) {
    if (records.length === maxRecords) throw tooManyRecords(maxRecords);
    records.push(
      line === INVALID_UTF8 ? problem('line is not valid UTF-8') : withMetadata({ message: line }, {}, query),
    );
  }
  if (records.length === 0) throw new HecError(400, 5, 'No data');
  return records;
}

function hecRecord(text: string, query: URLSearchParams): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return problem('Invalid data format: not a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return problem('Invalid data format: an HEC event is a JSON object');
  const hec = parsed as Record<string, unknown>;
  if (!Object.hasOwn(hec, 'event')) return problem('Event field is required');
  const { event } = hec;
  if (event === null || event === '') return problem('Event field cannot be blank');
  return withMetadata(eventFields(event), hec, query);
}

/**
 * An object event's fields. Splunk's logging libraries (splunk-logging, winston's Splunk transport) send
 * `{"message": {…fields}, "severity": "…"}`: the inner object's fields are lifted beside `severity`. An
 * object with no message keeps its JSON text as the message, as Splunk would show it.
 */
function eventFields(event: unknown): Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return { message: event };
  const { message, ...rest } = event as Record<string, unknown>;
  if (typeof message === 'object' && message !== null && !Array.isArray(message))
    return { ...rest, ...message };
  if (message !== undefined || 'msg' in rest || 'log' in rest) return { ...(event as object) };
  return { ...rest, message: JSON.stringify(event) };
}

function withMetadata(
  record: Record<string, unknown>,
  hec: Record<string, unknown>,
  query: URLSearchParams,
): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const key of METADATA) {
    const value = hec[key] ?? query.get(key);
    if (value !== undefined && value !== null) attrs[key] = value;
  }
  if (typeof hec.fields === 'object' && hec.fields !== null) Object.assign(attrs, hec.fields);
  const host = hec.host ?? query.get('host');
  if (host !== undefined && host !== null && record.host === undefined) record.host = host;
  const time = typeof hec.time === 'string' ? Number(hec.time) : hec.time;
  if (typeof time === 'number' && Number.isFinite(time) && time > 0)
    record.ts = new Date(time * 1000).toISOString();
  const own = typeof record.attrs === 'object' && record.attrs !== null ? record.attrs : {};
  if (Object.keys(attrs).length > 0) record.attrs = { ...own, ...attrs };
  return record;
}
