import type { Hono } from 'hono';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import { type BodyLimits, mediaType, readBody } from '../body/readBody.ts';
import { type IngestDeps, ingestBatch, problem } from '../ingest/ingestBatch.ts';

/**
 * `POST /v1/logs`: OTLP/HTTP logs in the JSON encoding, so OpenTelemetry SDKs and Collectors can ship
 * directly. Resource attributes (service.name, host.name, deployment.environment, …) and log attributes
 * become event fields through the normalizer's aliases; the rest become attributes. The answer is OTLP's
 * ExportLogsServiceResponse, with `partialSuccess` when records were refused.
 */
export function mountOtlpLogs(app: Hono<AuthEnv>, deps: IngestDeps, body: BodyLimits): void {
  app.post('/v1/logs', async (c) => {
    const type = mediaType(c.req.raw);
    if (type !== 'application/json') {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `OTLP ${type === 'application/x-protobuf' ? 'protobuf' : `"${type}"`} is not accepted; configure the exporter for http/json`,
      );
    }
    const raw = await readBody(c.req.raw, body);
    deps.metrics.bytes.inc({ protocol: 'otlp' }, raw.byteLength);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${(error as Error).message}`);
    }
    const outcome = await ingestBatch(deps, c.get('principal'), otlpRecords(parsed), 'otlp');
    if (outcome.rejected === 0) return c.json({});
    return c.json({
      partialSuccess: {
        rejectedLogRecords: String(outcome.rejected),
        errorMessage: outcome.errors
          .slice(0, 10)
          .map((e) => `#${e.index}: ${e.reason}`)
          .join('; '),
      },
    });
  });
}

type KeyValue = { key?: unknown; value?: unknown };

export function otlpRecords(body: unknown): unknown[] {
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
  const out: Record<string, unknown> = {};
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
  if ('doubleValue' in a) return Number(a.doubleValue);
  if ('bytesValue' in a) return a.bytesValue;
  if ('arrayValue' in a) {
    const values = (a.arrayValue as { values?: unknown[] })?.values;
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if ('kvlistValue' in a) return attributes((a.kvlistValue as { values?: unknown })?.values);
  return undefined;
}
