import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { TEST_KEYS, testGateway } from '../../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../../test/helpers/recordingBus.ts';
import { ExportLogsServiceRequest } from './protobuf.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

/** One request in OTLP/JSON; the protobuf form is the same message encoded by the schema. */
const JSON_REQUEST = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeLogs: [
        {
          scope: { name: 'checkout-http' },
          logRecords: [
            {
              timeUnixNano: '1795003200123456789',
              severityNumber: 17,
              severityText: 'ERROR',
              traceId: TRACE,
              spanId: SPAN,
              body: { kvlistValue: { values: [{ key: 'items', value: { intValue: '3' } }] } },
              attributes: [
                { key: 'big', value: { intValue: '9007199254740993' } },
                { key: 'ratio', value: { doubleValue: 0.5 } },
                { key: 'ok', value: { boolValue: true } },
                { key: 'raw', value: { bytesValue: 'AAE=' } },
                { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

function protobufOf(request: typeof JSON_REQUEST): Uint8Array {
  const lr = request.resourceLogs[0].scopeLogs[0].logRecords[0];
  const withBytes = structuredClone(request);
  const record = withBytes.resourceLogs[0].scopeLogs[0].logRecords[0] as Record<string, unknown>;
  record.traceId = Buffer.from(lr.traceId, 'hex');
  record.spanId = Buffer.from(lr.spanId, 'hex');
  const raw = record.attributes as Array<{ key: string; value: Record<string, unknown> }>;
  raw[3].value = { bytesValue: Buffer.from('AAE=', 'base64') };
  return ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(withBytes)).finish();
}

async function post(body: Uint8Array | string, contentType: string, gzip = false) {
  const bus = new RecordingBus();
  const res = await testGateway(bus).app.request('/v1/logs', {
    method: 'POST',
    body: gzip ? gzipSync(body) : body,
    headers: {
      authorization: `Bearer ${TEST_KEYS.ingest}`,
      'content-type': contentType,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
  });
  return { res, events: bus.values('logs.raw') };
}

/** An event without what differs between two requests (its id, its arrival times). */
const comparable = ({ id, received_at, observed_ts, ...event }: Record<string, unknown>) => event;

describe('OTLP/HTTP protobuf on /v1/logs', () => {
  it('maps a record exactly as the JSON encoding of the same message (gzip or not)', async () => {
    const json = await post(JSON.stringify(JSON_REQUEST), 'application/json');
    assert.equal(json.res.status, 200);
    for (const gzip of [false, true]) {
      const pb = await post(protobufOf(JSON_REQUEST), 'application/x-protobuf', gzip);
      assert.equal(pb.res.status, 200, await pb.res.clone().text());
      assert.equal(pb.res.headers.get('content-type'), 'application/x-protobuf');
      assert.equal((await pb.res.arrayBuffer()).byteLength, 0, 'an empty ExportLogsServiceResponse');
      assert.equal(pb.events.length, 1);
      assert.deepEqual(comparable(pb.events[0]), comparable(json.events[0]));
    }
    const event = json.events[0] as Record<string, Record<string, unknown>> & Record<string, unknown>;
    assert.equal(event.trace_id, TRACE, 'trace id in hex');
    assert.equal(event.ts, '2026-11-18T12:00:00.123456789Z', 'nanoseconds kept exactly (fixed64)');
    assert.equal(event.attrs.big, '9007199254740993', 'an int64 past 2^53 stays exact');
    assert.equal(event.attrs.raw, 'AAE=', 'bytes as base64, as OTLP/JSON writes them');
  });

  it('answers a protobuf ExportLogsServiceResponse with partial_success when records are refused', async () => {
    const request = structuredClone(JSON_REQUEST);
    const good = request.resourceLogs[0].scopeLogs[0].logRecords[0];
    // A message over limits.max_message_bytes is refused by validation; the good record goes on.
    const long = { ...good, body: { stringValue: 'x'.repeat(70_000) } };
    request.resourceLogs[0].scopeLogs[0].logRecords.push(long as unknown as typeof good);
    const { res, events } = await post(protobufOf(request), 'application/x-protobuf');
    assert.equal(res.status, 200);
    const answer = ExportLogsServiceRequest.root
      .lookupType('opentelemetry.proto.ExportLogsServiceResponse')
      .decode(new Uint8Array(await res.arrayBuffer())) as unknown as {
      partialSuccess: { rejectedLogRecords: { toNumber(): number }; errorMessage: string };
    };
    assert.equal(Number(answer.partialSuccess.rejectedLogRecords), 1);
    assert.match(answer.partialSuccess.errorMessage, /^#1: /);
    assert.equal(events.length, 1);
  });

  const good = protobufOf(JSON_REQUEST);
  const bad: Array<[string, Uint8Array, RegExp]> = [
    ['truncated', good.subarray(0, good.length - 3), /truncated|past the end/],
    // resource_logs (field 1) as a varint instead of a length-delimited message
    [
      'wrong wire type at the top',
      Uint8Array.from([0x08, 0x01]),
      /ExportLogsServiceRequest\.resourceLogs.*wire type 0, expected 2/,
    ],
    // ResourceLogs{scope_logs{scope (field 1) as a varint}}
    [
      'wrong wire type deeper',
      Uint8Array.from([0x0a, 0x04, 0x12, 0x02, 0x08, 0x01]),
      /ScopeLogs\.scope.*wire type 0/,
    ],
    [
      'a wire type that does not exist',
      Uint8Array.from([0x7f]),
      /truncated or not protobuf \(invalid wire type 7/,
    ],
    ['JSON sent as protobuf', new TextEncoder().encode(JSON.stringify(JSON_REQUEST)), /./],
  ];
  for (const [name, body, message] of bad) {
    it(`answers 400 malformed_protobuf to a body with ${name}, storing nothing`, async () => {
      const { res, events } = await post(body, 'application/x-protobuf');
      const answer = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(res.status, 400, JSON.stringify(answer));
      assert.equal(answer.error.code, 'malformed_protobuf');
      assert.match(answer.error.message, /^the body is not a valid OTLP ExportLogsServiceRequest: /);
      assert.match(answer.error.message, message);
      assert.equal(events.length, 0);
    });
  }

  it('refuses nesting deeper than 64 levels with 400 instead of overflowing the stack', async () => {
    let body: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < 40; i++) body = { arrayValue: { values: [body] } }; // 80 levels of AnyValue/ArrayValue
    const request = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body }] }] }] };
    const encoded = ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(request)).finish();
    const { res, events } = await post(encoded, 'application/x-protobuf');
    const answer = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(res.status, 400);
    assert.match(answer.error.message, /nested deeper than 64 levels/);
    assert.equal(events.length, 0);
  });

  it('skips unknown fields, as protobuf requires (newer exporters add fields), and keeps the rest', async () => {
    const unknown = Uint8Array.from([0xf8, 0x3e, 0x07, 0x82, 0x3f, 0x02, 0x68, 0x69]); // fields 999 (varint), 1008 ("hi")
    const { res, events } = await post(Buffer.concat([good, unknown]), 'application/x-protobuf');
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(events.length, 1);
    assert.equal(events[0].message, '{"items":3}');
  });
});
