import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { TEST_KEYS, testGateway } from '../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../test/helpers/recordingBus.ts';

const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n');

function post(
  gw: ReturnType<typeof testGateway>,
  path: string,
  body: RequestInit['body'],
  headers: Record<string, string> = {},
  key: string | null = TEST_KEYS.ingest,
) {
  return gw.app.request(path, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-ndjson',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...headers,
    },
  });
}

async function errorOf(res: Response): Promise<{ code: string; message: string; details: unknown[] }> {
  const body = (await res.json()) as { error: { code: string; message: string; details: unknown[] } };
  return body.error;
}

describe('POST /api/v1/ingest', () => {
  it('stores NDJSON records on the bus with the tenant of the key, keyed by tenant/service, then answers 202', async () => {
    const bus = new RecordingBus();
    const gw = testGateway(bus);
    const res = await post(
      gw,
      '/api/v1/ingest',
      ndjson([
        { msg: 'one', service: 'web', tenant: 'evil' },
        { message: 'two', app: 'db', level: 'ERROR' },
      ]),
    );
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { accepted: 2, rejected: 0, retimed: 0, errors: [] });
    const stored = bus.values('logs.raw');
    assert.deepEqual(
      stored.map((e) => [e.tenant, e.service, e.message, e.level]),
      [
        ['acme', 'web', 'one', 'info'],
        ['acme', 'db', 'two', 'error'],
      ],
    );
    assert.deepEqual(
      bus.topics.get('logs.raw')?.map((r) => r.key),
      ['acme/web', 'acme/db'],
    );
    for (const e of stored) {
      assert.match(String(e.id), /^[0-9a-f-]{36}$/);
      assert.ok(typeof e.observed_ts === 'string');
    }
  });

  it('accepts a JSON array', async () => {
    const bus = new RecordingBus();
    const res = await post(testGateway(bus), '/api/v1/ingest', JSON.stringify([{ msg: 'a' }, { msg: 'b' }]), {
      'content-type': 'application/json',
    });
    assert.equal(res.status, 202);
    assert.equal(bus.values('logs.raw').length, 2);
  });

  it('refuses bad records one by one with index and reason while storing the good ones', async () => {
    const bus = new RecordingBus();
    const body = [
      JSON.stringify({ msg: 'good 0' }),
      '{"msg": broken',
      JSON.stringify({ level: 'info' }),
      JSON.stringify({ msg: 'good 3' }),
    ].join('\n');
    const res = await post(testGateway(bus), '/api/v1/ingest', body);
    assert.equal(res.status, 202);
    const answer = (await res.json()) as {
      accepted: number;
      rejected: number;
      errors: Array<{ index: number; reason: string }>;
    };
    assert.equal(answer.accepted, 2);
    assert.equal(answer.rejected, 2);
    assert.deepEqual(
      answer.errors.map((e) => e.index),
      [1, 2],
    );
    assert.match(answer.errors[0].reason, /not valid JSON/);
    assert.match(answer.errors[1].reason, /no message/);
    assert.deepEqual(
      bus.values('logs.raw').map((e) => e.message),
      ['good 0', 'good 3'],
    );
  });

  it('answers 422 when every record is refused', async () => {
    const res = await post(testGateway(new RecordingBus()), '/api/v1/ingest', 'nope\n[1,2]');
    assert.equal(res.status, 422);
    const error = await errorOf(res);
    assert.equal(error.code, 'all_records_rejected');
    assert.equal(error.details.length, 2);
  });

  it('answers 400 for a malformed JSON body and 415 for a wrong content type', async () => {
    const gw = testGateway(new RecordingBus());
    const bad = await post(gw, '/api/v1/ingest', '{"a":', { 'content-type': 'application/json' });
    assert.equal(bad.status, 400);
    assert.equal((await errorOf(bad)).code, 'malformed_json');
    const wrong = await post(gw, '/api/v1/ingest', 'x', { 'content-type': 'text/html' });
    assert.equal(wrong.status, 415);
    assert.match((await errorOf(wrong)).message, /application\/x-ndjson/);
  });

  it('takes gzip and zstd bodies, refuses a corrupt gzip with 400 and a gzip bomb with 413', async () => {
    const bus = new RecordingBus();
    const gw = testGateway(bus);
    const body = ndjson([{ msg: 'zipped' }]);
    assert.equal(
      (await post(gw, '/api/v1/ingest', gzipSync(body), { 'content-encoding': 'gzip' })).status,
      202,
    );
    assert.equal(
      (await post(gw, '/api/v1/ingest', zstdCompressSync(body), { 'content-encoding': 'zstd' })).status,
      202,
    );
    const corrupt = await post(gw, '/api/v1/ingest', Buffer.from('not gzip at all'), {
      'content-encoding': 'gzip',
    });
    assert.equal(corrupt.status, 400);
    assert.equal((await errorOf(corrupt)).code, 'bad_encoding');
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 'a'));
    const res = await post(gw, '/api/v1/ingest', bomb, { 'content-encoding': 'gzip' });
    assert.equal(res.status, 413);
    assert.equal(bus.values('logs.raw').length, 2);
  });

  it('refuses a 50 MB body with 413 and stays healthy', async () => {
    const gw = testGateway(new RecordingBus());
    const res = await post(gw, '/api/v1/ingest', Buffer.alloc(50 * 1024 * 1024, 'x'));
    assert.equal(res.status, 413);
    assert.equal((await errorOf(res)).code, 'body_too_large');
    assert.equal((await gw.app.request('/healthz')).status, 200);
  });

  it('refuses a record with 100,000 fields or depth 1,000 by index', async () => {
    const bus = new RecordingBus();
    const wide: Record<string, number> = { msg: 0 } as never;
    for (let i = 0; i < 100_000; i++) wide[`f${i}`] = i;
    let deep: unknown = { msg: 'deep' };
    for (let i = 0; i < 1000; i++) deep = { d: deep };
    const gw = testGateway(bus, {
      limits: { maxBodyBytes: 8 * 1024 * 1024, maxDecodedBytes: 8 * 1024 * 1024 },
    });
    const res = await post(gw, '/api/v1/ingest', ndjson([wide, deep, { msg: 'fine' }]));
    assert.equal(res.status, 202);
    const answer = (await res.json()) as { errors: Array<{ index: number; reason: string }> };
    assert.deepEqual(
      answer.errors.map((e) => [
        e.index,
        /fields/.test(e.reason) ? 'fields' : /deeper/.test(e.reason) ? 'depth' : e.reason,
      ]),
      [
        [0, 'fields'],
        [1, 'depth'],
      ],
    );
  });

  it('refuses a line of invalid UTF-8 by index', async () => {
    const bus = new RecordingBus();
    const body = Buffer.concat([
      Buffer.from('{"msg":"ok"}\n{"msg":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
    ]);
    const res = await post(testGateway(bus), '/api/v1/ingest', body);
    assert.equal(res.status, 202);
    const answer = (await res.json()) as { errors: Array<{ index: number; reason: string }> };
    assert.deepEqual(answer.errors, [{ index: 1, reason: 'line 2 is not valid UTF-8' }]);
  });

  it('refuses too many records in one batch with 413', async () => {
    const gw = testGateway(new RecordingBus(), { limits: { maxRecords: 3 } });
    const res = await post(gw, '/api/v1/ingest', ndjson([{ msg: 1 }, { msg: 2 }, { msg: 3 }, { msg: 4 }]));
    assert.equal(res.status, 413);
    assert.equal((await errorOf(res)).code, 'too_many_records');
  });

  it('answers 401 without a key or with an unknown key, 403 for a key without the ingest role', async () => {
    const gw = testGateway(new RecordingBus());
    const body = ndjson([{ msg: 'x' }]);
    const none = await post(gw, '/api/v1/ingest', body, {}, null);
    assert.equal(none.status, 401);
    assert.equal((await errorOf(none)).code, 'missing_key');
    const unknown = await post(gw, '/api/v1/ingest', body, {}, 'k-made-up');
    assert.equal(unknown.status, 401);
    assert.equal((await errorOf(unknown)).code, 'invalid_key');
    const reader = await post(gw, '/api/v1/ingest', body, {}, TEST_KEYS.read);
    assert.equal(reader.status, 403);
    assert.equal((await post(gw, '/api/v1/ingest', body, {}, TEST_KEYS.admin)).status, 202);
  });

  it('answers 503 with Retry-After when the bus is down, and acknowledges nothing', async () => {
    const bus = new RecordingBus();
    bus.down = true;
    const gw = testGateway(bus);
    const res = await post(gw, '/api/v1/ingest', ndjson([{ msg: 'x' }]));
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '3');
    assert.equal((await errorOf(res)).code, 'bus_unavailable');
    assert.equal((await gw.app.request('/readyz')).status, 503);
    bus.down = false;
    assert.equal((await post(gw, '/api/v1/ingest', ndjson([{ msg: 'x' }]))).status, 202);
    assert.equal((await gw.app.request('/readyz')).status, 200);
  });

  it('answers only after the bus has stored the records', async () => {
    const bus = new RecordingBus();
    bus.delayMs = 50;
    const res = await post(testGateway(bus), '/api/v1/ingest', ndjson([{ msg: 'x' }]));
    assert.equal(res.status, 202);
    assert.equal(bus.values('logs.raw').length, 1);
  });

  it('limits each tenant to its rate with 429 and Retry-After, leaving other tenants alone', async () => {
    const gw = testGateway(new RecordingBus(), { limits: { rate: { rate: 1, burst: 2 } } });
    assert.equal((await post(gw, '/api/v1/ingest', ndjson([{ msg: 1 }, { msg: 2 }]))).status, 202);
    const limited = await post(gw, '/api/v1/ingest', ndjson([{ msg: 3 }]));
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(
      (await post(gw, '/api/v1/ingest', ndjson([{ msg: 1 }]), {}, TEST_KEYS.otherTenant)).status,
      202,
    );
  });
});

describe('other ingest protocols', () => {
  it('POST /v1/logs maps OTLP JSON resource and log attributes onto events', async () => {
    const bus = new RecordingBus();
    const body = {
      resourceLogs: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'checkout' } },
              { key: 'host.name', value: { stringValue: 'node-7' } },
              { key: 'k8s.pod.name', value: { stringValue: 'checkout-1' } },
            ],
          },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1795435200250000000',
                  severityNumber: 17,
                  body: { stringValue: 'payment failed' },
                  attributes: [
                    { key: 'correlation_id', value: { stringValue: 'cid-1' } },
                    { key: 'http.status', value: { intValue: '504' } },
                  ],
                  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                  spanId: '00f067aa0ba902b7',
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await post(testGateway(bus), '/v1/logs', JSON.stringify(body), {
      'content-type': 'application/json',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {});
    const [e] = bus.values('logs.raw');
    assert.equal(e.service, 'checkout');
    assert.equal(e.host, 'node-7');
    assert.equal(e.level, 'error');
    assert.equal(e.message, 'payment failed');
    assert.equal(e.correlation_id, 'cid-1');
    assert.equal(e.trace_id, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(e.ts, '2026-11-23T12:00:00.250000000Z');
    assert.deepEqual(e.attrs, { 'k8s.pod.name': 'checkout-1', 'http.status': 504 });
  });

  it('POST /v1/logs refuses other media types with 415 naming the JSON and protobuf ones', async () => {
    const res = await post(testGateway(new RecordingBus()), '/v1/logs', 'x', {
      'content-type': 'text/plain',
    });
    assert.equal(res.status, 415);
    assert.match((await errorOf(res)).message, /application\/json or application\/x-protobuf/);
  });

  it('POST /{index}/_bulk answers in the Elasticsearch bulk shape, item by item', async () => {
    const bus = new RecordingBus();
    const body = [
      JSON.stringify({ index: {} }),
      JSON.stringify({
        '@timestamp': '2026-11-23T12:00:00Z',
        message: 'from fluent bit',
        log: { level: 'warn' },
      }),
      JSON.stringify({ create: { _index: 'payments' } }),
      JSON.stringify({ message: 'second' }),
      JSON.stringify({ delete: { _id: '1' } }),
      JSON.stringify({ index: {} }),
      '{bad json',
    ].join('\n');
    const res = await post(testGateway(bus), '/nginx/_bulk', `${body}\n`);
    assert.equal(res.status, 200);
    const answer = (await res.json()) as {
      errors: boolean;
      items: Array<Record<string, { status: number; _index: string }>>;
    };
    assert.equal(answer.errors, true);
    assert.deepEqual(
      answer.items.map((item) => {
        const [action, r] = Object.entries(item)[0];
        return [action, r.status, r._index];
      }),
      [
        ['index', 201, 'nginx'],
        ['create', 201, 'payments'],
        ['delete', 400, 'nginx'],
        ['index', 400, 'nginx'],
      ],
    );
    assert.deepEqual(
      bus.values('logs.raw').map((e) => [e.service, e.message, e.level]),
      [
        ['nginx', 'from fluent bit', 'warn'],
        ['payments', 'second', 'info'],
      ],
    );
  });

  it('POST /_bulk accepts Basic auth with the key as password, as Elasticsearch outputs send it', async () => {
    const basic = Buffer.from(`elastic:${TEST_KEYS.ingest}`).toString('base64');
    const res = await post(
      testGateway(new RecordingBus()),
      '/_bulk',
      `${JSON.stringify({ index: {} })}\n${JSON.stringify({ message: 'x' })}\n`,
      { authorization: `Basic ${basic}` },
      null,
    );
    assert.equal(res.status, 200);
  });

  it('POST /loki/api/v1/push maps stream labels and answers 204', async () => {
    const bus = new RecordingBus();
    const body = {
      streams: [
        {
          stream: { job: 'varlogs', level: 'error', region: 'eu' },
          values: [
            ['1795435200250000000', 'disk full', { trace_id: 'abc' }],
            ['1795435201000000000', 'disk still full'],
          ],
        },
      ],
    };
    const res = await post(testGateway(bus), '/loki/api/v1/push', JSON.stringify(body), {
      'content-type': 'application/json',
    });
    assert.equal(res.status, 204);
    const events = bus.values('logs.raw');
    assert.deepEqual(
      events.map((e) => [e.service, e.level, e.message, e.ts]),
      [
        ['varlogs', 'error', 'disk full', '2026-11-23T12:00:00.250000000Z'],
        ['varlogs', 'error', 'disk still full', '2026-11-23T12:00:01.000000000Z'],
      ],
    );
    assert.deepEqual(events[0].attrs, { region: 'eu', trace_id: 'abc' });
  });
});

describe('health and metrics', () => {
  it('serves /healthz and Prometheus /metrics counting accepted and rejected records', async () => {
    const gw = testGateway(new RecordingBus());
    await post(gw, '/api/v1/ingest', `${ndjson([{ msg: 'ok' }])}\nnot json`);
    assert.equal((await gw.app.request('/healthz')).status, 200);
    const metrics = await (await gw.app.request('/metrics')).text();
    assert.match(metrics, /sluice_gateway_records_accepted_total\{protocol="native"\} 1/);
    assert.match(metrics, /sluice_gateway_records_rejected_total\{protocol="native",reason="malformed"\} 1/);
    assert.match(metrics, /sluice_gateway_requests_total\{route="\/api\/v1\/ingest",status="202"\} 1/);
  });

  it('answers unknown routes with the contract error body', async () => {
    const res = await testGateway(new RecordingBus()).app.request('/nope');
    assert.equal(res.status, 404);
    assert.equal((await errorOf(res)).code, 'not_found');
  });
});
