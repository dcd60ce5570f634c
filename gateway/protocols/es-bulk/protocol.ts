import type { IngestOutcome } from '../../ingest/ingestBatch.ts';
import type { IngestProtocol } from '../ingestProtocol.ts';
import { type BulkItem, decodeBulk } from './decode.ts';

/**
 * `POST /_bulk` and `POST /{index}/_bulk`: Elasticsearch's bulk API, so Fluent Bit, Vector, Filebeat and
 * Logstash can ship with their Elasticsearch outputs. Answers item by item in Elasticsearch's shape, so
 * those tools retry only the items that need it.
 */
export const esBulk: IngestProtocol<BulkItem[]> = {
  name: 'es_bulk',
  routes: { method: 'POST', paths: ['/_bulk', '/:index/_bulk'] },
  // Elasticsearch outputs send application/json, application/x-ndjson or nothing useful: any is taken.
  mediaTypes: { accepted: null },
  decode: (body, request) => {
    const { records, items } = decodeBulk(body, request.params.index, request.maxRecords);
    return { records, state: items };
  },
  answer: (outcome, items, elapsedMs) => Response.json(bulkAnswer(items, outcome, elapsedMs)),
};

function bulkAnswer(items: BulkItem[], outcome: IngestOutcome, took: number) {
  const reasons = new Map(outcome.errors.map((e) => [e.index, e.reason]));
  return {
    took,
    errors: outcome.rejected > 0,
    items: items.map((item) => {
      const event = outcome.events[item.record];
      const reason = reasons.get(item.record);
      const body =
        event != null
          ? {
              _index: item.index,
              _id: event.id,
              _version: 1,
              result: 'created',
              status: 201,
              _shards: { total: 1, successful: 1, failed: 0 },
            }
          : {
              _index: item.index,
              _id: item.id ?? null,
              status: 400,
              error: { type: 'mapper_parsing_exception', reason: reason ?? 'refused' },
            };
      return { [item.action]: body };
    }),
  };
}
