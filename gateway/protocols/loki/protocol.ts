import type { IngestProtocol } from '../ingestProtocol.ts';
import { ingestAnswer } from '../sluiceAnswer.ts';
import { decodeLokiJson } from './decode.ts';

/** `POST /loki/api/v1/push` in Loki's JSON form (protobuf + snappy is refused with a hint). */
export const lokiPush: IngestProtocol = {
  name: 'loki',
  routes: { method: 'POST', paths: ['/loki/api/v1/push'] },
  mediaTypes: {
    accepted: ['application/json'],
    refusal: () => 'Loki push is accepted as application/json only (not protobuf)',
  },
  decode: (body, request) => ({ records: decodeLokiJson(body, request.maxRecords), state: undefined }),
  // Loki answers 204 to a successful push; Sluice's counts are kept for partial refusals.
  answer: (outcome) => (outcome.rejected === 0 ? new Response(null, { status: 204 }) : ingestAnswer(outcome)),
};
