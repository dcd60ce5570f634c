import { join } from 'node:path';
import protobuf from 'protobufjs';
import { checkProtobuf } from '../../body/protobufShape.ts';

/** The published OTLP logs schema (the fields Sluice reads), loaded once. */
const schema = protobuf.loadSync(join(import.meta.dirname, 'proto/logs.proto'));
export const ExportLogsServiceRequest = schema.lookupType('opentelemetry.proto.ExportLogsServiceRequest');
const ExportLogsServiceResponse = schema.lookupType('opentelemetry.proto.ExportLogsServiceResponse');

/** Held to `limits.max_records` each, before decoding: records, and the envelopes around them. */
const COUNTED = [
  'opentelemetry.proto.ExportLogsServiceRequest.resourceLogs',
  'opentelemetry.proto.ResourceLogs.scopeLogs',
  'opentelemetry.proto.ScopeLogs.logRecords',
];

/**
 * An OTLP/protobuf ExportLogsServiceRequest as the OTLP/JSON mapping of it (camelCase fields, int64 as
 * strings, trace and span ids as hex, other bytes as base64), so both encodings share one mapping to
 * records. Checked and counted (413 past `maxRecords`) before anything is built.
 */
export function otlpProtobufToJson(raw: Buffer, maxRecords: number): unknown {
  checkProtobuf(ExportLogsServiceRequest, raw, COUNTED, maxRecords, 'OTLP ExportLogsServiceRequest');
  const request = ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(raw), {
    longs: String,
    bytes: String,
  }) as { resourceLogs?: Array<{ scopeLogs?: Array<{ logRecords?: Array<Record<string, unknown>> }> }> };
  for (const rl of request.resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const lr of sl.logRecords ?? []) {
        // OTLP/JSON writes these two ids in hex, not in base64 as its other bytes.
        if (typeof lr.traceId === 'string') lr.traceId = base64ToHex(lr.traceId);
        if (typeof lr.spanId === 'string') lr.spanId = base64ToHex(lr.spanId);
      }
  return { resourceLogs: [], ...request };
}

function base64ToHex(value: string): string {
  return Buffer.from(value, 'base64').toString('hex');
}

/** OTLP's protobuf ExportLogsServiceResponse: empty on success, `partial_success` when records were refused. */
export function exportLogsResponse(partialSuccess?: { rejected: number; message: string }): Uint8Array {
  const message = partialSuccess
    ? {
        partialSuccess: { rejectedLogRecords: partialSuccess.rejected, errorMessage: partialSuccess.message },
      }
    : {};
  return ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(message)).finish();
}
