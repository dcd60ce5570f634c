import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { createKeyRing, sha256Hex } from '../../core/auth/apiKeys.ts';
import { ORIGINAL_TS_ATTR } from '../../core/event/normalize.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { TEST_LIMITS } from '../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../test/helpers/recordingBus.ts';
import { createGateway, type Gateway } from '../app.ts';

const HOUR = 3_600_000;
const KEYS = { checkout: 'k-checkout-only', acme: 'k-acme', operator: 'k-operator' };

let bus: RecordingBus;
let gateway: Gateway;
beforeEach(() => {
  bus = new RecordingBus();
  gateway = createGateway({
    bus,
    rawTopic: 'logs.raw',
    keys: createKeyRing([
      {
        name: 'checkout',
        key_sha256: sha256Hex(KEYS.checkout),
        tenant: 'acme',
        roles: ['ingest'],
        services: ['checkout'],
      },
      { name: 'acme', key_sha256: sha256Hex(KEYS.acme), tenant: 'acme', roles: ['ingest'] },
      { name: 'ops', key_sha256: sha256Hex(KEYS.operator), roles: ['operator'] },
    ]),
    limits: { ...TEST_LIMITS, eventTimeWindow: { backMs: 7 * 24 * HOUR, aheadMs: HOUR } },
    log: silentLogger,
  });
});

async function post(path: string, body: string, type: string, key = KEYS.acme) {
  const res = await gateway.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}
const ndjson = (...records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n');
const stored = () => bus.values('logs.raw');

/** The same two records (service checkout, service payments) in each protocol's own shape. */
const PROTOCOLS: Array<{ name: string; path: string; type: string; body: string }> = [
  {
    name: 'native',
    path: '/api/v1/ingest',
    type: 'application/x-ndjson',
    body: ndjson({ message: 'ok', service: 'checkout' }, { message: 'stolen', service: 'payments' }),
  },
  {
    name: '_bulk',
    path: '/payments/_bulk',
    type: 'application/x-ndjson',
    body: `${ndjson({ index: {} }, { message: 'ok', service: 'checkout' }, { index: {} }, { message: 'stolen', service: 'payments' })}\n`,
  },
  {
    name: 'OTLP',
    path: '/v1/logs',
    type: 'application/json',
    body: JSON.stringify({
      resourceLogs: ['checkout', 'payments'].map((service) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [{ logRecords: [{ body: { stringValue: service === 'checkout' ? 'ok' : 'stolen' } }] }],
      })),
    }),
  },
  {
    name: 'Loki',
    path: '/loki/api/v1/push',
    type: 'application/json',
    body: JSON.stringify({
      streams: ['checkout', 'payments'].map((service) => ({
        stream: { service },
        values: [[String(Date.now() * 1e6), service === 'checkout' ? 'ok' : 'stolen']],
      })),
    }),
  },
];

describe("a key's services scope on ingest", () => {
  for (const protocol of PROTOCOLS) {
    it(`refuses, per record and saying why, records of other services (${protocol.name})`, async () => {
      const answer = await post(protocol.path, protocol.body, protocol.type, KEYS.checkout);
      assert.ok(answer.status < 300, `${answer.status} ${JSON.stringify(answer.body)}`);
      assert.deepEqual(
        stored().map((e) => [e.service, e.message]),
        [['checkout', 'ok']],
      );
      if (protocol.name === 'native') {
        assert.equal(answer.body.rejected, 1);
        assert.match(
          answer.body.errors[0].reason,
          /service "payments" is outside this key's services \(checkout\)/,
        );
      }
    });
  }

  it('files a record naming no service under the one service of the key', async () => {
    await post('/api/v1/ingest', ndjson({ message: 'no service' }), 'application/x-ndjson', KEYS.checkout);
    assert.deepEqual(
      stored().map((e) => e.service),
      ['checkout'],
    );
  });

  it('refuses operator keys (they have no tenant to file events under)', async () => {
    const answer = await post(
      '/api/v1/ingest',
      ndjson({ message: 'x' }),
      'application/x-ndjson',
      KEYS.operator,
    );
    assert.equal(answer.status, 403);
  });
});

describe('no silent change after a 202', () => {
  it('takes a record whose only key is "problem" for an ordinary record, never an internal marker', async () => {
    const answer = await post(
      '/api/v1/ingest',
      JSON.stringify([
        { problem: { x: 1 } },
        { problem: 'client text' },
        { message: 'good', problem: 'kept' },
      ]),
      'application/json',
    );
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.body.accepted, 1);
    assert.deepEqual(
      answer.body.errors.map((e: { reason: string }) => e.reason),
      [
        'record has no message (expected one of: message, msg, log)',
        'record has no message (expected one of: message, msg, log)',
      ],
    );
    assert.equal(stored()[0].attrs && (stored()[0].attrs as Record<string, unknown>).problem, 'kept');
  });

  it('refuses invalid UTF-8 in application/json as NDJSON does, instead of storing U+FFFD', async () => {
    const body = Buffer.concat([
      Buffer.from('[{"message":"bad '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}]'),
    ]);
    const res = await gateway.app.request('/api/v1/ingest', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.acme}`, 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_utf8');
    assert.equal(stored().length, 0);
  });

  it('refuses a number JSON cannot store (1e999) with a reason, instead of storing null', async () => {
    const answer = await post(
      '/api/v1/ingest',
      '{"message":"big","n":1e999}\n{"message":"fine","n":1e300}',
      'application/x-ndjson',
    );
    assert.equal(answer.status, 202);
    assert.equal(answer.body.accepted, 1);
    assert.match(answer.body.errors[0].reason, /too large to store/);
    assert.deepEqual(
      stored().map((e) => (e.attrs as Record<string, unknown>).n),
      [1e300],
    );
  });

  it('keeps attributes named __proto__, constructor and prototype, in every protocol', async () => {
    await post(
      '/api/v1/ingest',
      ndjson({ message: 'native', ['__proto__']: { a: 1 }, constructor: 'c', prototype: 2 }),
      'application/x-ndjson',
    );
    await post(
      '/v1/logs',
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    body: { stringValue: 'otlp' },
                    attributes: [
                      { key: '__proto__', value: { stringValue: 'p' } },
                      { key: 'constructor', value: { stringValue: 'c' } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
      'application/json',
    );
    await post(
      '/loki/api/v1/push',
      JSON.stringify({
        streams: [
          { stream: { ['__proto__']: 'p', constructor: 'c' }, values: [[String(Date.now() * 1e6), 'loki']] },
        ],
      }),
      'application/json',
    );
    const attrs = Object.fromEntries(stored().map((e) => [e.message, e.attrs as Record<string, unknown>]));
    assert.equal(Object.getPrototypeOf(attrs.native), Object.prototype);
    assert.deepEqual(Object.entries(attrs.native), [
      ['__proto__.a', 1],
      ['constructor', 'c'],
      ['prototype', 2],
    ]);
    assert.deepEqual(Object.entries(attrs.otlp), [
      ['__proto__', 'p'],
      ['constructor', 'c'],
    ]);
    assert.deepEqual(Object.entries(attrs.loki), [
      ['__proto__', 'p'],
      ['constructor', 'c'],
    ]);
  });

  it('refuses a second record with an id the batch already used, so the counts are what is stored', async () => {
    const answer = await post(
      '/api/v1/ingest',
      ndjson({ id: 'same-1', message: 'a' }, { id: 'same-1', message: 'b' }, { id: 'other', message: 'c' }),
      'application/x-ndjson',
    );
    assert.equal(answer.body.accepted, 2);
    assert.match(answer.body.errors[0].reason, /id "same-1" is already used by record 0/);
    assert.deepEqual(
      stored().map((e) => e.message),
      ['a', 'c'],
    );
  });
});

describe('event times outside the window', () => {
  it('are filed under the arrival time, counted as retimed, the original kept', async () => {
    const before = Date.now();
    const answer = await post(
      '/api/v1/ingest',
      ndjson(
        { message: 'now', ts: new Date().toISOString() },
        { message: 'far', ts: '9999-12-31T23:59:59Z' },
        { message: 'old', ts: '0001-01-01T00:00:00Z' },
        { message: 'ahead', ts: new Date(Date.now() + 2 * HOUR).toISOString() },
      ),
      'application/x-ndjson',
    );
    assert.equal(answer.status, 202);
    assert.equal(answer.body.retimed, 3);
    for (const e of stored()) {
      const ms = Date.parse(e.ts as string);
      assert.ok(ms >= before - 1000 && ms <= Date.now() + 1000, `${e.message}: ${e.ts}`);
    }
    assert.equal(
      (stored()[1].attrs as Record<string, unknown>)[ORIGINAL_TS_ATTR],
      '9999-12-31T23:59:59.000Z',
    );
    assert.equal(
      (stored()[2].attrs as Record<string, unknown>)[ORIGINAL_TS_ATTR],
      '0001-01-01T00:00:00.000Z',
    );
  });

  it('makes no file per far-future day: 500 different days are all filed under today', async () => {
    const records = Array.from({ length: 500 }, (_, i) => ({
      message: `m${i}`,
      ts: new Date(Date.UTC(2200, 0, 1) + i * 86_400_000).toISOString(),
    }));
    const answer = await post('/api/v1/ingest', ndjson(...records), 'application/x-ndjson');
    assert.equal(answer.body.retimed, 500);
    const days = new Set(stored().map((e) => (e.ts as string).slice(0, 10)));
    assert.ok(days.size <= 2, `${days.size} days`);
  });
});
