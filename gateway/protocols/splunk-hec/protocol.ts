import type { IngestProtocol } from '../ingestProtocol.ts';
import { hecAnswer } from './answer.ts';
import { decodeHecEvents, decodeHecRaw } from './decode.ts';

const RAW = '/services/collector/raw';

/**
 * Splunk's HTTP Event Collector, for the applications and shippers (Vector, Fluent Bit, logging
 * libraries) that speak it: JSON events on `/services/collector/event` (and its `/services/collector`
 * alias), lines on `/services/collector/raw`. The key is accepted as `Authorization: Splunk <key>`.
 */
export const splunkHec: IngestProtocol = {
  name: 'splunk_hec',
  routes: {
    method: 'POST',
    paths: [
      '/services/collector',
      '/services/collector/event',
      '/services/collector/event/1.0',
      RAW,
      `${RAW}/1.0`,
    ],
  },
  // HEC clients send their JSON as text/plain, application/json, or with no type at all.
  mediaTypes: { accepted: null },
  decode: (body, request) => ({
    records: (request.path.startsWith(RAW) ? decodeHecRaw : decodeHecEvents)(
      body,
      request.maxRecords,
      request.query,
    ),
    state: undefined,
  }),
  answer: hecAnswer,
};
