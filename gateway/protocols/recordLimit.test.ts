import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';
import { TEST_KEYS, testGateway } from '../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../test/helpers/recordingBus.ts';
import { PushRequest } from './loki/protobuf.ts';
import { ExportLogsServiceRequest } from './otlp/protobuf.ts';
import { HTTP_PROTOCOLS } from './registry.ts';

interface Case {
  path: string;
  contentType: string;
  /** A body of `n` records; `tiny` makes them as small as the protocol allows (refused or not). */
  body(n: number, tiny: boolean): string | Uint8Array;
}

/** A length-delimited protobuf field `id` holding `content`, written by protobufjs's Writer. */
const field = (id: number, content: Uint8Array) =>
  protobuf.Writer.create()
    .uint32((id << 3) | 2)
    .bytes(content)
    .finish();
const repeated = (id: number, content: Uint8Array, n: number) =>
  Buffer.from(Buffer.from(field(id, content)).toString('latin1').repeat(n), 'latin1');
const EMPTY = new Uint8Array(0);
const LOKI_LABELS = protobuf.Writer.create().uint32(10).string('{job="j"}').finish();
const LOKI_ENTRY = PushRequest.root
  .lookupType('logproto.EntryAdapter')
  .encode({ timestamp: { seconds: 1 }, line: 'x' })
  .finish();
const OTLP_RECORD = ExportLogsServiceRequest.root
  .lookupType('opentelemetry.proto.LogRecord')
  .encode({ body: { stringValue: 'x' } })
  .finish();

const times = (n: number, item: string, separator: string) => `${item}${separator}`.repeat(n - 1) + item;

/** One or more bodies per registered protocol (by metrics name); a new protocol must add its own. */
const CASES: Record<string, Case[]> = {
  native: [
    {
      path: '/api/v1/ingest',
      contentType: 'application/x-ndjson',
      body: (n, tiny) => times(n, tiny ? '{}' : '{"msg":"x"}', '\n'),
    },
    {
      path: '/api/v1/ingest',
      contentType: 'application/json',
      body: (n, tiny) => `[${times(n, tiny ? '{}' : '{"msg":"x"}', ',')}]`,
    },
  ],
  otlp: [
    {
      path: '/v1/logs',
      contentType: 'application/json',
      body: (n, tiny) =>
        `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${times(n, tiny ? '{}' : '{"body":{"stringValue":"x"}}', ',')}]}]}]}`,
    },
    {
      path: '/v1/logs',
      contentType: 'application/json',
      body: (n) => `{"resourceLogs":[${times(n, '{}', ',')}]}`, // empty envelopes cost like records
    },
    {
      path: '/v1/logs',
      contentType: 'application/x-protobuf',
      // ExportLogsServiceRequest{resource_logs(1){scope_logs(2){log_records(2) × n}}}
      body: (n, tiny) => field(1, field(2, repeated(2, tiny ? EMPTY : OTLP_RECORD, n))),
    },
    {
      path: '/v1/logs',
      contentType: 'application/x-protobuf',
      body: (n) => field(1, repeated(2, EMPTY, n)), // empty scope_logs envelopes cost like records
    },
  ],
  es_bulk: [
    {
      path: '/web/_bulk',
      contentType: 'application/x-ndjson',
      body: (n, tiny) => times(n, tiny ? '{"index":{}}\n{}' : '{"index":{}}\n{"message":"x"}', '\n'),
    },
    {
      path: '/_bulk',
      contentType: 'application/json',
      body: (n) => times(n, '{"delete":{}}', '\n'), // refused items count as records too
    },
  ],
  loki: [
    {
      path: '/loki/api/v1/push',
      contentType: 'application/json',
      body: (n) => `{"streams":[{"stream":{"job":"j"},"values":[${times(n, '["1","x"]', ',')}]}]}`,
    },
    {
      path: '/loki/api/v1/push',
      contentType: 'application/x-protobuf',
      // snappy(PushRequest{streams(1){labels(1), entries(2) × n}}), as Promtail sends it
      body: (n, tiny) =>
        compress(field(1, Buffer.concat([LOKI_LABELS, repeated(2, tiny ? EMPTY : LOKI_ENTRY, n)]))),
    },
    {
      path: '/loki/api/v1/push',
      contentType: 'application/x-protobuf',
      body: (n) => compress(Buffer.from(repeated(1, EMPTY, n))), // empty streams cost like entries
    },
  ],
  splunk_hec: [
    {
      path: '/services/collector/event',
      contentType: 'application/json',
      body: (n, tiny) => times(n, tiny ? '{}' : '{"event":"x"}', ''), // HEC concatenates its events
    },
    {
      path: '/services/collector/raw',
      contentType: 'text/plain',
      body: (n) => times(n, 'x', '\n'),
    },
  ],
};

/** Counts what the gateway hands to JSON.parse while a request is handled in this process. */
let parsedChars = 0;
const realParse = JSON.parse;

function send(bus: RecordingBus, c: Case, body: Uint8Array | string, maxRecords: number, gzip = false) {
  const gw = testGateway(bus, {
    limits: { maxRecords, maxBodyBytes: 1024 * 1024, maxDecodedBytes: 64 * 1024 * 1024 },
  });
  return gw.app.request(c.path, {
    method: 'POST',
    body,
    headers: {
      authorization: `Bearer ${TEST_KEYS.ingest}`,
      'content-type': c.contentType,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
  });
}

describe('every ingest protocol stops decoding at limits.max_records', () => {
  beforeEach(() => {
    parsedChars = 0;
    JSON.parse = (text: string, reviver?: Parameters<typeof realParse>[1]) => {
      parsedChars += String(text).length;
      return realParse(text, reviver);
    };
  });
  afterEach(() => {
    JSON.parse = realParse;
  });

  it('has bodies for every registered HTTP protocol (otlp-grpc/listener.test.ts holds the gRPC listener to it)', () => {
    assert.deepEqual(Object.keys(CASES).sort(), HTTP_PROTOCOLS.map((p) => p.name).sort());
  });

  for (const [name, cases] of Object.entries(CASES)) {
    cases.forEach((c, i) => {
      it(`${name} #${i + 1}: 3.5 million tiny records in a small gzip body answer 413 having parsed under 1% of it`, async () => {
        const inflated = c.body(3_500_000, true);
        const gzipped = gzipSync(inflated);
        assert.ok(gzipped.length < 150_000, `the body is small on the wire (${gzipped.length} bytes)`);
        const bus = new RecordingBus();
        const res = await send(bus, c, gzipped, 10_000, true);
        JSON.parse = realParse;
        const answer = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(res.status, 413, JSON.stringify(answer));
        assert.equal(answer.error.code, 'too_many_records');
        assert.match(answer.error.message, /more than 10000 records/);
        assert.ok(
          parsedChars * 100 < inflated.length,
          `parsed ${parsedChars} of ${inflated.length} characters before refusing`,
        );
        assert.equal(bus.values('logs.raw').length, 0);
      });

      it(`${name} #${i + 1}: takes exactly max_records records and refuses one more`, async () => {
        const atLimit = await send(new RecordingBus(), c, c.body(50, false), 50);
        assert.equal(atLimit.status === 413, false, `${atLimit.status} at the limit`);
        const over = await send(new RecordingBus(), c, c.body(51, false), 50);
        assert.equal(over.status, 413);
      });
    });
  }
});
