import { ApiError } from '../../../core/http/apiError.ts';
import { parseJsonBody } from '../../body/jsonBody.ts';
import { problem } from '../../ingest/ingestBatch.ts';
import { decodeExportRequest } from './protobuf.ts';

/** Where OTLP/JSON keeps its records: resources, their scopes, the scopes' log records. */
const RECORD_PATH = ['resourceLogs', 'scopeLogs', 'logRecords'];

/** An OTLP/JSON ExportLogsServiceRequest to records, refused (413) before parsing when over `maxRecords`. */
export function decodeOtlpJson(raw: Buffer, maxRecords: number): unknown[] {
  return otlpRecords(parseJsonBody(raw, RECORD_PATH, maxRecords));
}

/**
 * An OTLP/protobuf ExportLogsServiceRequest to records with the same mapping: the decoded message has the
 * JSON mapping's field names, and the few values that differ in kind (int64 as Long, bytes as bytes) are
 * read either way below. A decoded message holds the fields that were sent as its own properties (the
 * defaults sit on its prototype), so fields are tested with `Object.hasOwn` in both encodings.
 */
export function decodeOtlpProtobuf(raw: Buffer, maxRecords: number): unknown[] {
  return otlpRecords(decodeExportRequest(raw, maxRecords));
}

type KeyValue = { key?: unknown; value?: unknown };

function otlpRecords(body: unknown): unknown[] {
  const resourceLogs = (body as { resourceLogs?: unknown })?.resourceLogs;
  if (!Array.isArray(resourceLogs))
    throw new ApiError(400, 'malformed_otlp', 'expected {"resourceLogs": [...]}');
  const records: unknown[] = [];
  for (const rl of resourceLogs) {
    const resource = attributes((rl as { resource?: { attributes?: unknown } })?.resource?.attributes);
    const scopeLogs = (rl as { scopeLogs?: unknown })?.scopeLogs;
    if (!Array.isArray(scopeLogs)) continue;
    for (const sl of scopeLogs) {
      const logRecords = (sl as { logRecords?: unknown })?.logRecords;
      if (!Array.isArray(logRecords)) continue;
      for (const lr of logRecords) records.push(otlpRecord(resource, lr));
    }
  }
  return records;
}

function otlpRecord(resource: Record<string, unknown>, lr: unknown): unknown {
  if (lr === null || typeof lr !== 'object') return problem('logRecord must be an object');
  const r = lr as Record<string, unknown>;
  const record: Record<string, unknown> = { ...resource, ...attributes(r.attributes) };
  const ts = nonZero(r.timeUnixNano) ?? nonZero(r.observedTimeUnixNano);
  if (ts !== undefined) record.ts = ts;
  const observed = nonZero(r.observedTimeUnixNano);
  if (observed !== undefined) record.observed_ts = observed;
  if (typeof r.severityText === 'string' && r.severityText !== '') record.level = r.severityText;
  if (typeof r.severityNumber === 'number' && r.severityNumber > 0) record.severity_number = r.severityNumber;
  const traceId = hexId(r.traceId);
  if (traceId !== '') record.trace_id = traceId;
  const spanId = hexId(r.spanId);
  if (spanId !== '') record.span_id = spanId;
  const message = anyValue(r.body);
  record.message =
    message === undefined ? '' : typeof message === 'string' ? message : JSON.stringify(message);
  return record;
}

function nonZero(value: unknown): string | number | undefined {
  const v = int64(value);
  if ((typeof v === 'string' && v !== '' && v !== '0') || (typeof v === 'number' && v > 0)) return v;
  return undefined;
}

/** A 64-bit integer: a string or number in JSON, a Long when decoded from protobuf (its exact decimal). */
function int64(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? String(v) : v;
}

/** Trace and span ids: hex in OTLP/JSON, bytes in protobuf. */
function hexId(v: unknown): string {
  if (typeof v === 'string') return v;
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : '';
}

function attributes(list: unknown): Record<string, unknown> {
  // No prototype: an attribute named `__proto__` is then an ordinary key, not a prototype change.
  const out: Record<string, unknown> = Object.create(null);
  if (!Array.isArray(list)) return out;
  for (const kv of list as KeyValue[]) {
    if (typeof kv?.key === 'string') out[kv.key] = anyValue(kv.value);
  }
  return out;
}

/** OTLP AnyValue (either encoding) to plain JSON. int64 arrives as a string or Long and stays exact when large. */
function anyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  const a = v as Record<string, unknown>;
  if (Object.hasOwn(a, 'stringValue')) return a.stringValue;
  if (Object.hasOwn(a, 'boolValue')) return a.boolValue;
  if (Object.hasOwn(a, 'intValue')) {
    const text = int64(a.intValue);
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : String(text);
  }
  if (Object.hasOwn(a, 'doubleValue')) {
    // The JSON mapping writes NaN and ±Infinity as strings; JSON cannot store them as numbers.
    const n = Number(a.doubleValue);
    return Number.isFinite(n) ? n : String(a.doubleValue);
  }
  if (Object.hasOwn(a, 'bytesValue')) {
    const bytes = a.bytesValue;
    // base64, as OTLP/JSON writes bytes.
    return bytes instanceof Uint8Array
      ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
      : bytes;
  }
  if (Object.hasOwn(a, 'arrayValue')) {
    const values = (a.arrayValue as { values?: unknown[] })?.values;
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if (Object.hasOwn(a, 'kvlistValue')) return attributes((a.kvlistValue as { values?: unknown })?.values);
  return undefined;
}
