import type { IngestProtocol } from '../ingestProtocol.ts';
import { mountHecServiceRoutes, newAckId, requestChannel } from './acknowledgements.ts';
import { hecAnswer, hecRefusal } from './answer.ts';
import { decodeHecEvents, decodeHecRaw } from './decode.ts';

const RAW = '/services/collector/raw';

/**
 * Splunk's HTTP Event Collector, for the applications and shippers (Vector, Fluent Bit, logging
 * libraries) that speak it: JSON events on `/services/collector/event` (and its `/services/collector`
 * alias), lines on `/services/collector/raw`. The key is accepted as `Authorization: Splunk <key>`.
 * Refusals (auth, size, rate, bus) answer in Splunk's `{"text","code"}` shape; `/services/collector/ack`
 * and `/health` answer as Splunk's do.
 */
export const splunkHec: IngestProtocol<{ ackId?: number }> = {
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
  decode: (body, request) => {
    const channel = requestChannel(request.headers, request.query);
    const decode = request.path.startsWith(RAW) ? decodeHecRaw : decodeHecEvents;
    const records = decode(body, request.maxRecords, request.query);
    return { records, state: { ackId: channel === undefined ? undefined : newAckId() } };
  },
  answer: hecAnswer,
  refusal: hecRefusal,
  mount: (app, { auth, deps }) => mountHecServiceRoutes(app, auth, deps.bus),
};
