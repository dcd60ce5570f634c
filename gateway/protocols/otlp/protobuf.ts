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
 * An OTLP/protobuf ExportLogsServiceRequest decoded by the schema, checked and counted (413 past
 * `maxRecords`) before anything is built. The decoded message is mapped as it is (decode.ts reads its
 * fields as it reads the JSON mapping's): copying it to the JSON mapping first (`toObject`) cost a
 * quarter of the decode for nothing (bench:gateway --protocol).
 */
export function decodeExportRequest(raw: Buffer, maxRecords: number): unknown {
  checkProtobuf(ExportLogsServiceRequest, raw, COUNTED, maxRecords, 'OTLP ExportLogsServiceRequest');
  return ExportLogsServiceRequest.decode(raw);
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
