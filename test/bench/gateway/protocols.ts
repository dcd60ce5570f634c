/**
 * The benchmark's events in every ingest protocol's wire format, as that protocol's usual client sends
 * them (gzip where the client compresses; snappy for Loki protobuf; gzip by gRPC for OTLP/gRPC), and how
 * each is sent and its answer read, for `bench:gateway --protocol`. Every protocol carries the same
 * events (message, time, level, service, host, env, id, correlation id, two attributes), so the gateway's
 * CPU per event compares the protocols' decoding and mapping, not different payloads.
 */
import { gzipSync } from 'node:zlib';
import { compress } from 'snappyjs';
import type { Pool } from 'undici';
import { PushRequest } from '../../../gateway/protocols/loki/protobuf.ts';
import { ExportLogsServiceRequest } from '../../../gateway/protocols/otlp/protobuf.ts';
import type { logsClient } from '../../../gateway/protocols/otlp-grpc/testing/logsClient.ts';
import { makeEvent } from './bodies.ts';
import type { Send, Sized } from './load.ts';

export interface WireBody extends Sized {
  wire: Buffer;
  events: number;
}

type Event = ReturnType<typeof makeEvent> & {
  ts: string;
  level: string;
  service: string;
  host: string;
  env: string;
  message: string;
  id: string;
  correlation_id?: string;
  attrs?: Record<string, number>;
};

/** How one protocol is encoded and sent: over HTTP (an undici pool) or to the OTLP/gRPC listener. */
export type ProtocolLoad = { encode(events: Event[]): { wire: Buffer; rawBytes: number } } & (
  | { transport: 'http'; send: Send<Pool, WireBody> }
  | { transport: 'grpc'; send: Send<GrpcExport, WireBody> }
);

/** Unary OTLP/gRPC exports of already-encoded bytes. */
export type GrpcExport = ReturnType<typeof logsClient>;

const gzipped = (text: string) => {
  const raw = Buffer.from(text);
  return { wire: gzipSync(raw), rawBytes: raw.byteLength };
};

const nanos = (ts: string) => `${BigInt(Date.parse(ts)) * 1_000_000n}`;

/** The fields an event carries besides the ones each protocol has a place for. */
function extra(e: Event): Record<string, string | number> {
  return { id: e.id, ...(e.correlation_id ? { correlation_id: e.correlation_id } : {}), ...e.attrs };
}

function otlpRequest(events: Event[]) {
  const byResource = new Map<string, Event[]>();
  for (const e of events) {
    const key = `${e.service}\u0000${e.host}\u0000${e.env}`;
    byResource.set(key, [...(byResource.get(key) ?? []), e]);
  }
  const kv = (key: string, value: string | number) => ({
    key,
    value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
  });
  return {
    resourceLogs: [...byResource.values()].map((group) => ({
      resource: {
        attributes: [
          kv('service.name', group[0].service),
          kv('host.name', group[0].host),
          kv('deployment.environment', group[0].env),
        ],
      },
      scopeLogs: [
        {
          scope: { name: 'bench' },
          logRecords: group.map((e) => ({
            timeUnixNano: nanos(e.ts),
            severityText: e.level.toUpperCase(),
            body: { stringValue: e.message },
            attributes: Object.entries(extra(e)).map(([k, v]) => kv(k, v)),
          })),
        },
      ],
    })),
  };
}

function otlpProtobuf(events: Event[]): Buffer {
  const message = ExportLogsServiceRequest.fromObject(otlpRequest(events));
  return Buffer.from(ExportLogsServiceRequest.encode(message).finish());
}

function lokiStreams(events: Event[]) {
  const byLabels = new Map<string, Event[]>();
  for (const e of events) {
    const labels = `{service="${e.service}", host="${e.host}", env="${e.env}", level="${e.level}"}`;
    byLabels.set(labels, [...(byLabels.get(labels) ?? []), e]);
  }
  return byLabels;
}

const metadata = (e: Event) => Object.fromEntries(Object.entries(extra(e)).map(([k, v]) => [k, String(v)]));

/** An HTTP POST whose answer is success when `ok(status, text)` says so; the body's events acknowledged. */
function post(
  path: string,
  headers: Record<string, string>,
  ok: (status: number, text: string) => boolean,
): Send<Pool, WireBody> {
  return async (pool, body) => {
    const res = await pool.request({
      path,
      method: 'POST',
      headers: { ...headers, 'content-length': String(body.wire.byteLength) },
      body: body.wire,
    });
    const text = await res.body.text();
    if (!ok(res.statusCode, text))
      return { ok: false, reason: `HTTP ${res.statusCode} ${text.slice(0, 120)}` };
    return { ok: true, accepted: body.events, rejected: 0 };
  };
}

const GZIP_JSON = { 'content-type': 'application/json', 'content-encoding': 'gzip' };

export const PROTOCOL_LOADS: Record<string, ProtocolLoad> = {
  ingest: {
    transport: 'http',
    encode: (events) => gzipped(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`),
    send: post(
      '/api/v1/ingest',
      { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      (status, text) => status === 202 && text.includes('"rejected":0'),
    ),
  },
  'otlp-json': {
    transport: 'http',
    encode: (events) => gzipped(JSON.stringify(otlpRequest(events))),
    send: post('/v1/logs', GZIP_JSON, (status, text) => status === 200 && !text.includes('partialSuccess')),
  },
  'otlp-protobuf': {
    transport: 'http',
    encode: (events) => {
      const raw = otlpProtobuf(events);
      return { wire: gzipSync(raw), rawBytes: raw.byteLength };
    },
    send: post(
      '/v1/logs',
      { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
      // An empty ExportLogsServiceResponse: no partial_success.
      (status, text) => status === 200 && text.length === 0,
    ),
  },
  'otlp-grpc': {
    transport: 'grpc',
    // gRPC compresses each message itself (the exporters' `compression: gzip`).
    encode: (events) => {
      const raw = otlpProtobuf(events);
      return { wire: raw, rawBytes: raw.byteLength };
    },
    send: async (client, body) => {
      const { error } = await client.call(body.wire, null);
      return error === null
        ? { ok: true, accepted: body.events, rejected: 0 }
        : { ok: false, reason: error.message };
    },
  },
  'loki-json': {
    transport: 'http',
    encode: (events) =>
      gzipped(
        JSON.stringify({
          streams: [...lokiStreams(events)].map(([labels, group]) => ({
            stream: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
            values: group.map((e) => [nanos(e.ts), e.message, metadata(e)]),
          })),
        }),
      ),
    send: post('/loki/api/v1/push', GZIP_JSON, (status) => status === 204),
  },
  'loki-protobuf': {
    transport: 'http',
    encode: (events) => {
      const raw = Buffer.from(
        PushRequest.encode(
          PushRequest.fromObject({
            streams: [...lokiStreams(events)].map(([labels, group]) => ({
              labels,
              entries: group.map((e) => {
                const ms = Date.parse(e.ts);
                return {
                  timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 },
                  line: e.message,
                  structuredMetadata: Object.entries(metadata(e)).map(([name, value]) => ({ name, value })),
                };
              }),
            })),
          }),
        ).finish(),
      );
      return { wire: Buffer.from(compress(raw)), rawBytes: raw.byteLength };
    },
    send: post('/loki/api/v1/push', { 'content-type': 'application/x-protobuf' }, (status) => status === 204),
  },
  'es-bulk': {
    transport: 'http',
    encode: (events) => gzipped(events.map((e) => `{"create":{}}\n${JSON.stringify(e)}\n`).join('')),
    send: post(
      '/_bulk',
      { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      (status, text) => status === 200 && text.includes('"errors":false'),
    ),
  },
  hec: {
    transport: 'http',
    encode: (events) =>
      gzipped(
        events
          .map((e) => {
            const { ts, host, ...fields } = e;
            return JSON.stringify({ time: Date.parse(ts) / 1000, host, sourcetype: 'bench', event: fields });
          })
          .join('\n'),
      ),
    send: post(
      '/services/collector/event',
      GZIP_JSON,
      (status, text) => status === 200 && text.includes('"code":0'),
    ),
  },
};

/** `count` bodies of `eventsPerBody` events each in one protocol's wire format. */
export function protocolBodies(protocol: ProtocolLoad, count: number, eventsPerBody: number): WireBody[] {
  const baseMs = Date.parse('2026-11-24T08:00:00.000Z');
  return Array.from({ length: count }, (_, b) => {
    const events = Array.from(
      { length: eventsPerBody },
      (_, i) => makeEvent(b * eventsPerBody + i, baseMs) as Event,
    );
    const { wire, rawBytes } = protocol.encode(events);
    return { wire, rawBytes, wireBytes: wire.byteLength, events: eventsPerBody };
  });
}
