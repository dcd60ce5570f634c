/**
 * The gateway's OTLP/gRPC listener in a standalone Sluice: OpenTelemetry's gRPC exporter end to end to
 * search, then hostile calls (bad keys, truncated protobuf, wrong wire types, unknown fields, oversized
 * and gzip-bombed messages, a trickled message, a connection that never speaks, HTTP/1.1 on the gRPC
 * port), each with its gRPC status and nothing stored, and the server healthy and ready after them.
 */
import assert from 'node:assert/strict';
import { connect as connectHttp2 } from 'node:http2';
import { connect as connectTcp } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { diag, SeverityNumber } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import protobuf from 'protobufjs';
import { ExportLogsServiceRequest } from '../../../gateway/protocols/otlp/protobuf.ts';
import { EXPORT_PATH } from '../../../gateway/protocols/otlp-grpc/service.ts';
import { logsClient } from '../../../gateway/protocols/otlp-grpc/testing/logsClient.ts';
import { captureOtelDiag } from '../../helpers/otelDiag.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type HostileServer, KEYS, type KeyName, startHostileServer } from './server.ts';

function exportRequest(messages: string[], service = 'grpc-hostile'): Buffer {
  const message = ExportLogsServiceRequest.fromObject({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [{ logRecords: messages.map((m) => ({ body: { stringValue: m } })) }],
      },
    ],
  });
  return Buffer.from(ExportLogsServiceRequest.encode(message).finish());
}

describe('OTLP/gRPC listener of a standalone server', () => {
  let server: HostileServer;
  let client: ReturnType<typeof logsClient>;
  let gzipClient: ReturnType<typeof logsClient>;

  before(async () => {
    server = await startHostileServer();
    client = logsClient(server.grpcAddress);
    gzipClient = logsClient(server.grpcAddress, { gzip: true });
  });
  after(async () => {
    client?.close();
    gzipClient?.close();
    await server?.stop();
  });

  const search = async (key: KeyName, q: string) => {
    const res = await fetch(`${server.url}/api/v1/search?q=${encodeURIComponent(q)}&from=now-1h`, {
      headers: { authorization: `Bearer ${KEYS[key]}` },
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { hits: Array<Record<string, unknown>> }).hits;
  };

  const call = async (
    body: Buffer,
    key: string | null = KEYS.acmeIngest,
    options: { gzip?: boolean; method?: 'Export' | 'Traces' } = {},
  ) => (await (options.gzip ? gzipClient : client).call(body, key, options.method)).error;

  it('takes records from OpenTelemetry’s gRPC exporter (gzip) into search, under the key’s tenant', async () => {
    const exportErrors = captureOtelDiag();
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${KEYS.acmeIngest}`);
    const exporter = new OTLPLogExporter({
      url: `http://${server.grpcAddress}`,
      metadata,
      compression: 'gzip' as never,
    });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'grpc-checkout', 'host.name': 'node-9' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    provider.getLogger('checkout').emit({
      severityNumber: SeverityNumber.ERROR,
      body: 'grpc payment timeout',
      attributes: { 'order.id': 'G-1' },
    });
    await provider.forceFlush();
    await provider.shutdown();
    diag.disable();

    const hits = await waitFor(
      'the gRPC-exported event in search',
      async () => {
        const found = await search('acmeRead', 'service:grpc-checkout');
        return found.length > 0 ? found : undefined;
      },
      { intervalMs: 200 },
    );
    assert.deepEqual(exportErrors, []);
    assert.equal(hits.length, 1);
    assert.equal(hits[0].message, 'grpc payment timeout');
    assert.equal(hits[0].level, 'error');
    assert.equal(hits[0].host, 'node-9');
    assert.equal(hits[0].tenant, 'acme');
    assert.equal((hits[0].attrs as Record<string, unknown>)['order.id'], 'G-1');
    assert.deepEqual(await search('globexRead', 'service:grpc-checkout'), [], 'not in the other tenant');
  });

  it('answers each hostile call with its gRPC status, stores none of them, and stays healthy and ready', async () => {
    const good = exportRequest(['hostile-should-not-be-stored']);
    const big = exportRequest(Array.from({ length: 80 }, () => 'z'.repeat(1000)));
    const wrongWire = Buffer.from(
      protobuf.Writer.create()
        .uint32((1 << 3) | 0)
        .uint32(7)
        .finish(),
    );
    // scope_logs (field 2 of ResourceLogs) as a fixed64 inside a well-formed resource_logs.
    const nestedWrong = Buffer.from(
      protobuf.Writer.create()
        .uint32((1 << 3) | 2)
        .bytes(
          protobuf.Writer.create()
            .uint32((2 << 3) | 1)
            .fixed64(1)
            .finish(),
        )
        .finish(),
    );
    const rows: Array<[string, Promise<ServiceError | null>, status]> = [
      ['no key', call(good, null), status.UNAUTHENTICATED],
      ['unknown key', call(good, 'nope'), status.UNAUTHENTICATED],
      ['read key', call(good, KEYS.acmeRead), status.PERMISSION_DENIED],
      ['operator key', call(good, KEYS.operator), status.PERMISSION_DENIED],
      ['truncated', call(good.subarray(0, good.length - 5)), status.INVALID_ARGUMENT],
      ['wrong wire type', call(wrongWire), status.INVALID_ARGUMENT],
      ['wrong nested wire type', call(nestedWrong), status.INVALID_ARGUMENT],
      ['garbage', call(Buffer.from('GET / HTTP/1.1\r\n\r\n')), status.INVALID_ARGUMENT],
      [
        'over max_records',
        call(exportRequest(Array.from({ length: 101 }, (_, i) => `r${i}`))),
        status.RESOURCE_EXHAUSTED,
      ],
      ['over max_body', call(big), status.RESOURCE_EXHAUSTED],
      [
        'gzip bomb',
        call(Buffer.concat([big, big, big, big]), undefined, { gzip: true }),
        status.RESOURCE_EXHAUSTED,
      ],
      ['another service', call(good, undefined, { method: 'Traces' }), status.UNIMPLEMENTED],
    ];
    const failures: string[] = [];
    for (const [name, answer, expected] of rows) {
      const error = await answer;
      if (error?.code !== expected)
        failures.push(
          `${name}: ${error === null ? 'OK' : `${status[error.code]} ${error.details}`}, expected ${status[expected]}`,
        );
      else if (/\n\s+at /.test(error.details)) failures.push(`${name}: stack trace in the details`);
    }
    assert.deepEqual(failures, []);
    assert.equal(
      await call(exportRequest(['unknown fields are skipped'], 'grpc-unknown')).then((e) => e?.code),
      undefined,
    );
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
    // A later good export is searchable; the hostile ones never were.
    await waitFor(
      'the good export in search',
      async () => (await search('acmeRead', 'service:grpc-unknown')).length === 1,
      {
        intervalMs: 200,
      },
    );
    assert.deepEqual(await search('acmeRead', 'hostile-should-not-be-stored'), []);
  });

  it('ends a trickled call at request_timeout and closes a connection that never speaks', async () => {
    const session = connectHttp2(`http://${server.grpcAddress}`);
    session.on('error', () => undefined);
    const stream = session.request({
      ':method': 'POST',
      ':path': EXPORT_PATH,
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${KEYS.acmeIngest}`,
    });
    stream.on('error', () => undefined);
    stream.write(Buffer.from([0, 0, 0, 1, 0, 10])); // a 256-byte message, 1 byte of it sent
    const silent = connectTcp(Number(server.grpcAddress.split(':')[1]), '127.0.0.1');
    silent.on('error', () => undefined);
    silent.resume();
    const silentClosed = new Promise<void>((resolve) => silent.on('close', () => resolve()));
    const http1 = await fetch(`http://${server.grpcAddress}/v1/logs`, { method: 'POST', body: 'x' }).then(
      (res) => `answered ${res.status}`,
      () => 'refused',
    );
    assert.ok(http1 === 'refused' || /answered [45]\d\d/.test(http1), http1);
    const trailers = await new Promise<Record<string, unknown>>((resolve) => {
      stream.on('trailers', resolve);
      stream.on('response', (headers) => {
        if (headers['grpc-status'] !== undefined) resolve(headers);
      });
      stream.resume();
    });
    assert.equal(Number(trailers['grpc-status']), status.DEADLINE_EXCEEDED);
    session.destroy();
    // request_timeout is 4 s in this server: a generous bound, not a timing assertion.
    await Promise.race([
      silentClosed,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('silent connection still open after 20 s')), 20_000),
      ),
    ]);
    assert.equal(await call(exportRequest(['after the slow ones'], 'grpc-after')), null);
  });
});
