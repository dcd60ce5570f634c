import type { IngestProtocol } from '../ingestProtocol.ts';
import { decodeOtlpJson } from './decode.ts';

/** How many refused records the partial-success message names; the count stays exact. */
const LISTED_REFUSALS = 10;

/**
 * `POST /v1/logs`: OTLP/HTTP logs in the JSON encoding, so OpenTelemetry SDKs and Collectors can ship
 * directly. Resource attributes (service.name, host.name, deployment.environment, …) and log attributes
 * become event fields through the normalizer's aliases; the rest become attributes. The answer is OTLP's
 * ExportLogsServiceResponse, with `partialSuccess` when records were refused.
 */
export const otlpLogs: IngestProtocol = {
  name: 'otlp',
  routes: { method: 'POST', paths: ['/v1/logs'] },
  mediaTypes: {
    accepted: ['application/json'],
    refusal: (type) =>
      `OTLP ${type === 'application/x-protobuf' ? 'protobuf' : `"${type}"`} is not accepted; configure the exporter for http/json`,
  },
  decode: (body, request) => ({ records: decodeOtlpJson(body, request.maxRecords), state: undefined }),
  answer: (outcome) => {
    if (outcome.rejected === 0) return Response.json({});
    return Response.json({
      partialSuccess: {
        rejectedLogRecords: String(outcome.rejected),
        errorMessage: outcome.errors
          .slice(0, LISTED_REFUSALS)
          .map((e) => `#${e.index}: ${e.reason}`)
          .join('; '),
      },
    });
  },
};
