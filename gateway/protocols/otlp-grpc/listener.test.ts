import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { DEFAULT_SERVER_LIMITS } from '../../../core/http/listen.ts';
import { TEST_KEYS, testGateway } from '../../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../../test/helpers/recordingBus.ts';
import type { Gateway } from '../../app.ts';
import { ExportLogsServiceRequest } from '../otlp/protobuf.ts';
import { EXPORT_PATH } from './service.ts';
import { logsClient } from './testing/logsClient.ts';

const ExportLogsServiceResponse = ExportLogsServiceRequest.root.lookupType(
  'opentelemetry.proto.ExportLogsServiceResponse',
);

function request(messages: Array<string | { body: string; attrs?: Record<string, string> }>): Buffer {
  const logRecords = messages.map((m) => {
    const { body, attrs = {} } = typeof m === 'string' ? { body: m } : m;
    return {
      timeUnixNano: 1_700_000_000_000_000_000n.toString(),
      severityText: 'WARN',
      body: { stringValue: body },
      attributes: Object.entries(attrs).map(([key, value]) => ({ key, value: { stringValue: value } })),
      traceId: Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex'),
    };
  });
  const message = ExportLogsServiceRequest.fromObject({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeLogs: [{ logRecords }],
      },
    ],
  });
  return Buffer.from(ExportLogsServiceRequest.encode(message).finish());
}

describe('OTLP/gRPC listener (LogsService/Export)', () => {
  const bus = new RecordingBus();
  let gateway: Gateway;
  let address: string;
  let client: ReturnType<typeof logsClient>;
  /** Compresses every message with gzip, as OTLP exporters set to `compression: gzip` do. */
  let gzipClient: ReturnType<typeof logsClient>;

  const call = async (
    body: Buffer,
    key: string | null = TEST_KEYS.ingest,
    options: { gzip?: boolean } = {},
  ) => {
    const { error, answer } = await (options.gzip ? gzipClient : client).call(body, key);
    return {
      error,
      answer: answer && ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(answer)),
    };
  };

  before(async () => {
    gateway = testGateway(bus, {
      limits: { maxRecords: 50, maxBodyBytes: 64 * 1024, maxDecodedBytes: 64 * 1024, maxMessageBytes: 1024 },
      listen: { otlp_grpc: '127.0.0.1:0' },
      server: { ...DEFAULT_SERVER_LIMITS, requestTimeoutMs: 500 },
    });
    const [{ listener }] = await gateway.startListeners();
    address = listener.url.replace('http://', '');
    client = logsClient(address);
    gzipClient = logsClient(address, { gzip: true });
  });

  after(async () => {
    client?.close();
    gzipClient?.close();
    await gateway?.close();
  });

  it('stores the records (gzip or not) with the OTLP/HTTP mapping, under the key’s tenant', async () => {
    const before = bus.values('logs.raw').length;
    assert.equal((await call(request(['plain one']))).error, null);
    const { error, answer } = await call(
      request([{ body: 'gzipped', attrs: { 'order.id': 'A-1' } }]),
      undefined,
      {
        gzip: true,
      },
    );
    assert.equal(error, null);
    assert.deepEqual(answer, {}, 'no partial_success when everything was taken');
    const stored = bus.values('logs.raw').slice(before);
    assert.deepEqual(
      stored.map((e) => [e.tenant, e.service, e.level, e.message, e.trace_id]),
      [
        ['acme', 'checkout', 'warn', 'plain one', '4bf92f3577b34da6a3ce929d0e0e4736'],
        ['acme', 'checkout', 'warn', 'gzipped', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ],
    );
    assert.equal((stored[1].attrs as Record<string, unknown>)['order.id'], 'A-1');
  });

  it('answers partial_success naming the refused records, and stores the others', async () => {
    const before = bus.values('logs.raw').length;
    const { error, answer } = await call(request(['fine', 'x'.repeat(2000), 'also fine']));
    assert.equal(error, null);
    const partial = answer?.partialSuccess as { rejectedLogRecords: unknown; errorMessage: string };
    assert.equal(String(partial.rejectedLogRecords), '1');
    assert.match(partial.errorMessage, /#1: message longer than 1024 bytes/);
    assert.equal(bus.values('logs.raw').length - before, 2);
  });

  it('refuses a missing or unknown key (UNAUTHENTICATED) and a key without the ingest role (PERMISSION_DENIED)', async () => {
    const before = bus.values('logs.raw').length;
    const missing = await call(request(['x']), null);
    assert.equal(missing.error?.code, status.UNAUTHENTICATED);
    assert.match(missing.error?.details ?? '', /missing_key/);
    assert.equal((await call(request(['x']), 'not-a-key')).error?.code, status.UNAUTHENTICATED);
    assert.equal((await call(request(['x']), TEST_KEYS.read)).error?.code, status.PERMISSION_DENIED);
    assert.equal(bus.values('logs.raw').length, before, 'nothing stored');
  });

  it('refuses truncated protobuf and wrong wire types with INVALID_ARGUMENT, storing nothing', async () => {
    const before = bus.values('logs.raw').length;
    const whole = request(['one', 'two']);
    const truncated = await call(whole.subarray(0, whole.length - 3));
    assert.equal(truncated.error?.code, status.INVALID_ARGUMENT);
    assert.match(truncated.error?.details ?? '', /malformed_protobuf/);
    // resource_logs (field 1) as a varint instead of a length-delimited message.
    const wrongWire = Buffer.from(
      protobuf.Writer.create()
        .uint32((1 << 3) | 0)
        .uint32(7)
        .finish(),
    );
    const wrong = await call(wrongWire);
    assert.equal(wrong.error?.code, status.INVALID_ARGUMENT);
    assert.match(wrong.error?.details ?? '', /wire type 0, expected 2/);
    assert.equal(bus.values('logs.raw').length, before);
  });

  it('takes unknown fields (a newer client) and skips them', async () => {
    const unknown = Buffer.concat([
      request(['with an unknown field']),
      Buffer.from(
        protobuf.Writer.create()
          .uint32((99 << 3) | 2)
          .string('from the future')
          .finish(),
      ),
    ]);
    assert.equal((await call(unknown)).error, null);
    assert.equal(bus.values('logs.raw').at(-1)?.message, 'with an unknown field');
  });

  it('refuses over max_records and over max_body, even gzipped small, with RESOURCE_EXHAUSTED', async () => {
    const before = bus.values('logs.raw').length;
    const many = await call(request(Array.from({ length: 51 }, (_, i) => `r${i}`)));
    assert.equal(many.error?.code, status.RESOURCE_EXHAUSTED);
    assert.match(many.error?.details ?? '', /too_many_records/);
    const big = request(Array.from({ length: 40 }, () => 'y'.repeat(1000)).map((body) => ({ body })));
    assert.ok(2 * big.length > 64 * 1024);
    const plain = await call(Buffer.concat([big, big]));
    assert.equal(plain.error?.code, status.RESOURCE_EXHAUSTED);
    // A few kilobytes on the wire that inflate past the limit: refused while inflating.
    const gzipped = await call(Buffer.concat([big, big]), undefined, { gzip: true });
    assert.equal(gzipped.error?.code, status.RESOURCE_EXHAUSTED);
    assert.match(gzipped.error?.details ?? '', /decompresses to a size larger than 65536/);
    assert.equal(bus.values('logs.raw').length, before);
  });

  it('answers UNAVAILABLE while the bus is down, acknowledging nothing, and stores again after', async () => {
    const before = bus.values('logs.raw').length;
    bus.down = true;
    try {
      const down = await call(request(['while down']));
      assert.equal(down.error?.code, status.UNAVAILABLE);
      assert.equal(down.error?.metadata.get('retry-after')[0], '3');
    } finally {
      bus.down = false;
    }
    assert.equal(bus.values('logs.raw').length, before);
    assert.equal((await call(request(['after']))).error, null);
  });

  it('ends a call whose message does not arrive within request_timeout (DEADLINE_EXCEEDED)', async () => {
    const session = connect(`http://${address}`);
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': EXPORT_PATH,
        'content-type': 'application/grpc',
        te: 'trailers',
        authorization: `Bearer ${TEST_KEYS.ingest}`,
      });
      stream.write(Buffer.from([0, 0, 0, 0, 100, 10])); // a 100-byte message, 1 byte of it sent
      const trailers = await new Promise<Record<string, unknown>>((resolve) => {
        stream.on('trailers', resolve);
        stream.on('response', (headers) => {
          if (headers['grpc-status'] !== undefined) resolve(headers);
        });
        stream.resume();
      });
      assert.equal(Number(trailers['grpc-status']), status.DEADLINE_EXCEEDED);
    } finally {
      session.destroy();
    }
  });
});
