import { ApiError } from '../../../core/http/apiError.ts';
import { parseJsonBody } from '../../body/jsonBody.ts';
import { problem } from '../../ingest/ingestBatch.ts';
import { otlpProtobufToJson } from './protobuf.ts';

/** Where OTLP/JSON keeps its records: resources, their scopes, the scopes' log records. */
const RECORD_PATH = ['resourceLogs', 'scopeLogs', 'logRecords'];

/** An OTLP/JSON ExportLogsServiceRequest to records, refused (413) before parsing when over `maxRecords`. */
export function decodeOtlpJson(raw: Buffer, maxRecords: number): unknown[] {
  return otlpRecords(parseJsonBody(raw, RECORD_PATH, maxRecords));
}

/** An OTLP/protobuf ExportLogsServiceRequest to records, by way of its JSON mapping (one mapping for both). */
export function decodeOtlpProtobuf(raw: Buffer, maxRecords: number): unknown[] {
  return otlpRecords(otlpProtobufToJson(raw, maxRecords));
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
  if (typeof r.traceId === 'string' && r.traceId !== '') record.trace_id = r.traceId;
  if (typeof r.spanId === 'string' && r.spanId !== '') record.span_id = r.spanId;
  const message = anyValue(r.body);
  record.message =
    message === undefined ? '' : typeof message === 'string' ? message : JSON.stringify(message);
  return record;
}

function nonZero(v: unknown): string | number | undefined {
  if ((typeof v === 'string' && v !== '' && v !== '0') || (typeof v === 'number' && v > 0)) return v;
  return undefined;
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

/** OTLP AnyValue (JSON mapping) to plain JSON. int64 arrives as a string and stays exact when large. */
function anyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  const a = v as Record<string, unknown>;
  if ('stringValue' in a) return a.stringValue;
  if ('boolValue' in a) return a.boolValue;
  if ('intValue' in a) {
    const n = Number(a.intValue);
    return Number.isSafeInteger(n) ? n : String(a.intValue);
  }
  if ('doubleValue' in a) {
    // The JSON mapping writes NaN and ±Infinity as strings; JSON cannot store them as numbers.
    const n = Number(a.doubleValue);
    return Number.isFinite(n) ? n : String(a.doubleValue);
  }
  if ('bytesValue' in a) return a.bytesValue;
  if ('arrayValue' in a) {
    const values = (a.arrayValue as { values?: unknown[] })?.values;
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if ('kvlistValue' in a) return attributes((a.kvlistValue as { values?: unknown })?.values);
  return undefined;
}
