import type { IngestOutcome } from '../../ingest/ingestBatch.ts';
import type { IngestProtocol } from '../ingestProtocol.ts';
import { decodeOtlpJson, decodeOtlpProtobuf } from './decode.ts';
import { exportLogsResponse } from './protobuf.ts';

/** How many refused records the partial-success message names; the count stays exact. */
const LISTED_REFUSALS = 10;

const PROTOBUF = 'application/x-protobuf';

/** Which encoding the client sent: it gets its answer in the same one. */
type Encoding = { protobuf: boolean };

/**
 * `POST /v1/logs`: OTLP/HTTP logs in the JSON or the protobuf encoding (the SDKs' and the Collector's
 * default), so OpenTelemetry SDKs and Collectors can ship directly. Resource attributes (service.name,
 * host.name, deployment.environment, …) and log attributes become event fields through the normalizer's
 * aliases; the rest become attributes. The answer is OTLP's ExportLogsServiceResponse in the request's
 * encoding, with `partialSuccess` when records were refused.
 */
export const otlpLogs: IngestProtocol<Encoding> = {
  name: 'otlp',
  routes: { method: 'POST', paths: ['/v1/logs'] },
  mediaTypes: { accepted: ['application/json', PROTOBUF] },
  decode: (body, request) => {
    const protobuf = request.mediaType === PROTOBUF;
    const decode = protobuf ? decodeOtlpProtobuf : decodeOtlpJson;
    return { records: decode(body, request.maxRecords), state: { protobuf } };
  },
  answer: (outcome, { protobuf }) => {
    const refused = partialSuccess(outcome);
    if (!protobuf) return Response.json(refused ? { partialSuccess: refused } : {});
    return new Response(otlpProtobufAnswer(outcome), { headers: { 'content-type': PROTOBUF } });
  },
};

/** The protobuf ExportLogsServiceResponse for an outcome (OTLP/HTTP protobuf and OTLP/gRPC). */
export function otlpProtobufAnswer(outcome: IngestOutcome): Uint8Array {
  const refused = partialSuccess(outcome);
  return exportLogsResponse(refused && { rejected: outcome.rejected, message: refused.errorMessage });
}

function partialSuccess(outcome: IngestOutcome) {
  if (outcome.rejected === 0) return undefined;
  return {
    rejectedLogRecords: String(outcome.rejected),
    errorMessage: outcome.errors
      .slice(0, LISTED_REFUSALS)
      .map((e) => `#${e.index}: ${e.reason}`)
      .join('; '),
  };
}
