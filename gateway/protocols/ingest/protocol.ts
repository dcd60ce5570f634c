import type { IngestProtocol } from '../ingestProtocol.ts';
import { ingestAnswer } from '../sluiceAnswer.ts';
import { decodeJsonRecords, decodeNdjson } from './decode.ts';

const NDJSON_TYPES = [
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
];

/** `POST /api/v1/ingest`: Sluice's own, NDJSON or a JSON array of records (contracts.md §2). */
export const nativeIngest: IngestProtocol = {
  name: 'native',
  routes: { method: 'POST', paths: ['/api/v1/ingest'] },
  mediaTypes: {
    accepted: ['application/json', ...NDJSON_TYPES],
    refusal: (type) =>
      `Content-Type "${type || '(none)'}" is not accepted; send application/x-ndjson or application/json`,
  },
  decode: (body, request) => ({
    records:
      request.mediaType === 'application/json'
        ? decodeJsonRecords(body, request.maxRecords)
        : decodeNdjson(body, request.maxRecords),
    state: undefined,
  }),
  answer: (outcome) => ingestAnswer(outcome),
};
