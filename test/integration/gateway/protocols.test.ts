import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT_CONTEXT, SeverityNumber, TraceFlags, trace } from '@opentelemetry/api';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { compress } from 'snappyjs';
import { PushRequest } from '../../../gateway/protocols/loki/protobuf.ts';
import { captureOtelDiag } from '../../helpers/otelDiag.ts';
import { cleanUp } from './harness/cleanup.ts';
import { authSection, type TestKey, writeSluiceYaml } from './harness/gatewayProcess.ts';
import { type InProcessServer, type StoredEvent, startInProcessServer } from './harness/inProcessServer.ts';

interface SplunkLoggerClient {
  send(context: { message: unknown; severity?: string; metadata?: Record<string, unknown> }): void;
  flush(callback: (error: Error | null, response: { statusCode: number }, body: unknown) => void): void;
}
/** splunk-logging is CommonJS without types. */
const SplunkLogger = createRequire(import.meta.url)('splunk-logging').Logger as new (
  config: object,
) => SplunkLoggerClient;

const KEY: TestKey = { name: 'shippers', key: 'it-key-protocols-5be1', tenant: 'acme' };
const PAYLOADS = join(import.meta.dirname, '../../fixtures/payloads');
const auth = { authorization: `Bearer ${KEY.key}` };

interface BulkItem {
  _index: string;
  _id: string;
  status: number;
  result?: string;
  error?: unknown;
}

/** The `_index` of every action line of a bulk body, in order. */
function actionIndexes(body: string): Array<{ action: string; index: string }> {
  return body
    .split('\n')
    .filter((line, i) => i % 2 === 0 && line.trim() !== '')
    .map((line) => {
      const [action, meta] = Object.entries(JSON.parse(line) as Record<string, { _index: string }>)[0];
      return { action, index: meta._index };
    });
}

describe('ingest protocols with real clients and recorded shipper payloads', () => {
  let dir: string;
  let server: InProcessServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-gw-protocols-'));
    const config = await writeSluiceYaml(dir, {
      roles: ['gateway'],
      listen: { gateway: '127.0.0.1:0' },
      bus: { kind: 'embedded', dir: join(dir, 'bus'), partitions: 2 },
      auth: authSection([KEY]),
      // The recorded payloads carry their own (fixed) dates: take them as they are.
      limits: { event_time: { max_age: '36500d' } },
    });
    server = await startInProcessServer(config);
  });

  after(() =>
    cleanUp(
      () => server?.stop(),
      () => dir && rm(dir, { recursive: true, force: true }),
    ),
  );

  describe('OTLP/HTTP from OpenTelemetry’s JS SDK (sdk-logs + exporter-logs-otlp-http and -proto)', () => {
    const exporters = [
      ['json', OTLPJsonLogExporter],
      ['protobuf', OTLPProtobufLogExporter],
    ] as const;
    for (const [encoding, OTLPLogExporter] of exporters)
      for (const compression of [CompressionAlgorithm.NONE, CompressionAlgorithm.GZIP]) {
        it(`stores records with their resource, severity, attributes, time and trace context (${encoding}, ${compression})`, async () => {
          const exportErrors = captureOtelDiag();
          const exporter = new OTLPLogExporter({
            url: `${server.url}/v1/logs`,
            headers: auth,
            compression,
          });
          const provider = new LoggerProvider({
            resource: resourceFromAttributes({
              'service.name': `checkout-${encoding}-${compression}`,
              'host.name': 'node-7',
              'deployment.environment': 'prod',
              'k8s.pod.name': 'checkout-7d9c8b6f5-x2x9q',
            }),
            processors: [new SimpleLogRecordProcessor({ exporter })],
          });
          const logger = provider.getLogger('checkout-http', '1.4.2');
          const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
          const spanId = '00f067aa0ba902b7';
          const inSpan = trace.setSpanContext(ROOT_CONTEXT, {
            traceId,
            spanId,
            traceFlags: TraceFlags.SAMPLED,
          });
          logger.emit({
            timestamp: new Date('2026-11-24T12:00:00.123Z'),
            severityNumber: SeverityNumber.ERROR,
            severityText: 'ERROR',
            body: 'payment gateway timeout after 3000 ms',
            attributes: { 'order.id': 'A-1001', 'http.status_code': 504, retry: true, 'duration.s': 3.002 },
            context: inSpan,
          });
          logger.emit({
            timestamp: new Date('2026-11-24T12:00:00.456Z'),
            severityNumber: SeverityNumber.WARN,
            body: { event: 'cart.abandoned', items: 3 },
          });
          await provider.forceFlush();
          await provider.shutdown();

          const service = `checkout-${encoding}-${compression}`;
          const stored = await server
            .waitForEvents(`2 OTLP events of ${service}`, (e) => e.service === service, 2)
            .catch((error: Error) => {
              error.message += `\nexporter said: ${exportErrors.join('\n') || '(nothing)'}`;
              throw error;
            });
          const [first, second] = stored
            .map((s) => s.event)
            .sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
          assert.equal(first.tenant, 'acme', 'the tenant of the key');
          assert.equal(first.host, 'node-7', 'host.name from the resource');
          assert.equal(first.env, 'prod', 'deployment.environment from the resource');
          assert.equal(first.ts, '2026-11-24T12:00:00.123000000Z', 'the record’s time, to the nanosecond');
          assert.equal(first.level, 'error');
          assert.equal(first.message, 'payment gateway timeout after 3000 ms');
          assert.equal(first.trace_id, traceId, 'trace context of the active span');
          assert.equal(first.span_id, spanId);
          assert.equal(first.attrs['order.id'], 'A-1001');
          assert.equal(first.attrs['http.status_code'], 504, 'an int attribute stays a number');
          assert.equal(first.attrs.retry, true);
          assert.equal(first.attrs['duration.s'], 3.002);
          assert.equal(first.attrs['k8s.pod.name'], 'checkout-7d9c8b6f5-x2x9q', 'other resource attributes');
          assert.equal(second.level, 'warn', 'the level from the severity number alone');
          assert.deepEqual(JSON.parse(second.message as string), { event: 'cart.abandoned', items: 3 });
          assert.deepEqual(exportErrors, [], 'the exporter saw no error');
          const key = stored.find((s) => s.event.id === first.id)?.key;
          assert.equal(key, `acme/${service}`);
        });
      }
  });

  describe('Elasticsearch _bulk as shippers send it (recorded payloads, test/fixtures/payloads/es-bulk)', () => {
    async function bulk(fixture: string, options: { gzip?: boolean } = {}) {
      const body = await readFile(join(PAYLOADS, 'es-bulk', fixture), 'utf8');
      const res = await fetch(`${server.url}/_bulk`, {
        method: 'POST',
        headers: {
          ...auth,
          'content-type': 'application/x-ndjson',
          ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
        },
        body: options.gzip ? gzipSync(body) : body,
      });
      const answer = (await res.json()) as {
        took: number;
        errors: boolean;
        items: Array<Record<string, BulkItem>>;
      };
      const sent = actionIndexes(body);
      // What every shipper checks: a 200, "errors": false, and one 201 item per document, in order.
      assert.equal(res.status, 200, JSON.stringify(answer).slice(0, 300));
      assert.equal(answer.errors, false);
      assert.equal(typeof answer.took, 'number');
      assert.equal(answer.items.length, sent.length);
      answer.items.forEach((item, i) => {
        assert.deepEqual(Object.keys(item), [sent[i].action], 'the item is named by its action');
        const result = item[sent[i].action];
        assert.equal(result.status, 201);
        assert.equal(result.result, 'created');
        assert.equal(result._index, sent[i].index);
      });
      const ids = answer.items.map((item, i) => item[sent[i].action]._id);
      const events = await server.waitForEvents(
        `${fixture}'s events`,
        (e) => ids.includes(e.id as string),
        ids.length,
      );
      // In the order of the body, each stored under the _id the answer gave.
      return ids.map((id) => events.find((e) => e.event.id === id)?.event as StoredEvent);
    }

    it('Fluent Bit (es output, Kubernetes metadata, docker and CRI parsed records)', async () => {
      const [docker, cri] = await bulk('fluent-bit.ndjson');
      assert.equal(docker.message, '2026-11-24 12:00:00.123 INFO  order A-1001 accepted, total 42.50 EUR\n');
      assert.equal(docker.ts, '2026-11-24T12:00:00.123Z', '@timestamp is the event time');
      assert.equal(docker.service, 'shop-2026.11.24', 'no service in the record: the index names it');
      assert.equal(docker.tenant, 'acme');
      assert.equal(docker.attrs['kubernetes.pod_name'], 'checkout-7d9c8b6f5-x2x9q');
      assert.equal(docker.attrs['kubernetes.labels.app'], 'checkout');
      assert.equal(
        docker.attrs['kubernetes.annotations.kubectl.kubernetes.io/restartedAt'],
        '2026-11-20T08:00:00Z',
      );
      assert.equal(docker.attrs.stream, 'stdout');
      assert.equal(cri.message, 'payment gateway timeout after 3000 ms');
      assert.equal(cri.attrs['kubernetes.container_name'], 'payments');
      assert.equal(cri.attrs.logtag, 'F');
    });

    it('Vector (elasticsearch sink, file source)', async () => {
      const events = await bulk('vector.ndjson');
      assert.deepEqual(
        events.map((e) => e.message),
        [
          'order A-1002 created for customer c-77',
          'order A-1002 paid',
          'inventory reservation failed for A-1003: out of stock',
        ],
      );
      assert.equal(events[0].host, 'node-7');
      assert.match(
        events[0].ts as string,
        /^2026-11-24T12:00:01\.234567(890)?Z$/,
        'timestamp is the event time',
      );
      assert.equal(events[0].attrs.file, '/var/log/app/orders.log');
      assert.equal(events[0].attrs.source_type, 'file');
      assert.equal(events[0].service, 'vector-2026.11.24');
    });

    it('Filebeat (ECS document, gzip-compressed)', async () => {
      const [declined, captured] = await bulk('filebeat.ndjson', { gzip: true });
      assert.equal(declined.message, 'charge ch_91 declined: insufficient funds');
      assert.equal(declined.ts, '2026-11-24T12:00:02.345Z');
      assert.equal(declined.host, 'node-7', 'host.name');
      assert.equal(declined.attrs['log.file.path'], '/var/log/app/payments.log');
      assert.equal(declined.attrs['log.offset'], 18231);
      assert.equal(declined.attrs['agent.type'], 'filebeat');
      assert.equal(declined.attrs['input.type'], 'filestream');
      assert.equal(captured.message, 'charge ch_92 captured');
    });

    it('Logstash (elasticsearch output with _id and routing null, gzip-compressed)', async () => {
      const [slow, garbled] = await bulk('logstash.ndjson', { gzip: true });
      assert.equal(slow.message, '2026-11-24T12:00:03.456Z WARN search: slow query 1200 ms q="red shoes"');
      assert.equal(slow.ts, '2026-11-24T12:00:03.456Z');
      assert.equal(slow.host, 'node-9');
      assert.equal(slow.attrs['log.file.path'], '/var/log/app/search.log');
      assert.equal(slow.attrs['event.original'], slow.message);
      assert.equal(garbled.message, 'garbled line');
      assert.ok(JSON.stringify(garbled.attrs).includes('_grokparsefailure'), 'the tags are kept');
    });
  });

  describe('Loki push (recorded payloads, test/fixtures/payloads/loki)', () => {
    async function push(fixture: string) {
      const res = await fetch(`${server.url}/loki/api/v1/push`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: await readFile(join(PAYLOADS, 'loki', fixture)),
      });
      assert.equal(res.status, 204, await res.text());
    }

    it('Fluent Bit loki output: labels become fields or attributes, each line an event at its own time', async () => {
      await push('fluent-bit.json');
      const events = (
        await server.waitForEvents('3 Loki events from Fluent Bit', (e) => e.attrs.job === 'fluent-bit', 3)
      ).map((e) => e.event);
      const shipped = events.find((e) => (e.message as string).includes('A-1004 shipped'));
      assert.ok(shipped);
      assert.equal(shipped.service, 'orders');
      assert.equal(shipped.env, 'prod');
      assert.equal(shipped.tenant, 'acme');
      assert.equal(shipped.attrs.namespace, 'shop');
      assert.equal(shipped.ts, '2026-11-24T12:00:04.000000123Z', 'nanosecond timestamps are kept');
      assert.deepEqual(events.map((e) => e.service).sort(), ['orders', 'orders', 'payments']);
    });

    it('structured metadata (the third element of a value) becomes attributes', async () => {
      await push('push-api-structured-metadata.json');
      const events = (
        await server.waitForEvents('2 Loki events of checkout', (e) => e.service === 'checkout', 2)
      ).map((e) => e.event);
      const abandoned = events.find((e) => e.message === 'cart c-55 abandoned after 30 min');
      assert.ok(abandoned);
      assert.equal(abandoned.level, 'warn');
      assert.equal(abandoned.host, 'node-7');
      assert.equal(abandoned.attrs.user, 'u-9');
      assert.equal(abandoned.ts, '2026-11-24T12:00:06.000000000Z', 'nanosecond precision');
    });

    it('Promtail/Alloy protobuf + snappy push: each entry stored at its time with labels and structured metadata', async () => {
      // What Promtail's and Alloy's loki client send: PushRequest, protobuf, snappy block format, no
      // Content-Encoding (built with Loki's published schema and snappyjs; no maintained npm client
      // sends protobuf without a native snappy build).
      const request = PushRequest.fromObject({
        streams: [
          {
            labels:
              '{job="promtail", service_name="billing", host="node-3", filename="/var/log/billing.log"}',
            entries: [
              {
                timestamp: { seconds: '1795521600', nanos: 5 },
                line: 'invoice I-77 sent',
                structuredMetadata: [{ name: 'trace_id', value: '0af7651916cd43dd8448eb211c80319c' }],
              },
              { timestamp: { seconds: '1795521601' }, line: 'invoice I-78 sent' },
            ],
          },
        ],
      });
      const res = await fetch(`${server.url}/loki/api/v1/push`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-protobuf' },
        body: compress(PushRequest.encode(request).finish()),
      });
      assert.equal(res.status, 204, await res.text());
      const events = (
        await server.waitForEvents('2 Loki protobuf events of billing', (e) => e.service === 'billing', 2)
      ).map((e) => e.event);
      const first = events.find((e) => e.message === 'invoice I-77 sent');
      assert.ok(first);
      assert.equal(first.host, 'node-3');
      assert.equal(first.tenant, 'acme');
      assert.equal(first.ts, '2026-11-24T12:00:00.000000005Z', 'nanosecond timestamps are kept');
      assert.equal(first.attrs.trace_id, '0af7651916cd43dd8448eb211c80319c', 'structured metadata');
      assert.equal(first.attrs.filename, '/var/log/billing.log', 'other labels');
    });
  });

  describe('Splunk HEC from splunk-logging (Splunk’s own Node client)', () => {
    it('stores a batch of concatenated events with time, host, source, sourcetype, index and severity', async () => {
      const logger = new SplunkLogger({ token: KEY.key, url: server.url, maxBatchCount: 0 });
      const metadata = { host: 'web-4', source: 'billing', sourcetype: '_json', index: 'main' };
      const t0 = Date.parse('2026-11-24T12:00:00.250Z') / 1000;
      logger.send({ message: 'invoice I-90 sent', severity: 'info', metadata: { ...metadata, time: t0 } });
      logger.send({
        message: { message: 'card declined', service: 'billing', order: 'A-7' },
        severity: 'error',
        metadata: { ...metadata, time: t0 + 1 },
      });
      const answer = await new Promise<{ status: number; body: unknown }>((resolve, reject) =>
        logger.flush((error, response, body) =>
          error ? reject(error) : resolve({ status: response.statusCode, body }),
        ),
      );
      assert.deepEqual(
        answer,
        { status: 200, body: { text: 'Success', code: 0 } },
        'one request, Splunk’s answer',
      );
      const events = (
        await server.waitForEvents('2 HEC events from web-4', (e) => e.host === 'web-4', 2)
      ).map((e) => e.event);
      const [sent, declined] = events.sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
      assert.equal(sent.ts, '2026-11-24T12:00:00.250Z', 'time in epoch seconds, to the millisecond');
      assert.equal(sent.tenant, 'acme', 'the key sent as "Authorization: Splunk <key>"');
      assert.equal(sent.attrs.sourcetype, '_json');
      assert.equal(sent.attrs.source, 'billing');
      assert.equal(sent.attrs.index, 'main');
      assert.equal(declined.level, 'error', 'the client’s severity');
      assert.equal(declined.service, 'billing');
      assert.equal(declined.attrs.order, 'A-7');
    });
  });
});
