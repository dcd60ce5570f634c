import type { IngestProtocol } from '../ingestProtocol.ts';
import { ingestAnswer } from '../sluiceAnswer.ts';
import { decodeLokiJson } from './decode.ts';
import { decodeLokiProtobuf } from './protobuf.ts';

/**
 * `POST /loki/api/v1/push` in Loki's JSON form or its protobuf + snappy form (Promtail, Grafana Alloy,
 * most Loki clients), both mapped the same way.
 */
export const lokiPush: IngestProtocol = {
  name: 'loki',
  routes: { method: 'POST', paths: ['/loki/api/v1/push'] },
  mediaTypes: { accepted: ['application/json', 'application/x-protobuf'] },
  decode: (body, request) => ({
    records:
      request.mediaType === 'application/x-protobuf'
        ? decodeLokiProtobuf(body, request.maxRecords, request.maxDecodedBytes)
        : decodeLokiJson(body, request.maxRecords),
    state: undefined,
  }),
  // Loki answers 204 to a successful push; Sluice's counts are kept for partial refusals.
  answer: (outcome) => (outcome.rejected === 0 ? new Response(null, { status: 204 }) : ingestAnswer(outcome)),
};
