import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createKeyRing, sha256Hex } from '../../core/auth/apiKeys.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { TEST_LIMITS } from '../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../test/helpers/recordingBus.ts';
import { createGateway } from '../app.ts';

/** Bounded in time so `npm test` stays quick; fast-check prints the seed and the smallest failing body. */
const BUDGET = { interruptAfterTimeLimit: 2000, numRuns: 1_000_000 };
const KEY = 'fuzz-acme-checkout';

// Records made of the fields the normalizer reads (and their aliases) plus hostile keys and values.
const key = fc.oneof(
  fc.constantFrom(
    'message',
    'msg',
    'log',
    'ts',
    'timestamp',
    '@timestamp',
    'time',
    'level',
    'severity',
    'service',
    'app',
    'tenant',
    'id',
    'correlation_id',
    'trace_id',
    'attrs',
    'problem',
    '__proto__',
    'constructor',
    'host',
    'observed_ts',
    'service.name',
    'a.b',
    '',
  ),
  fc.string({ maxLength: 8 }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '1e999', 'checkout', 'payments', 'ERROR'),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;
const record = fc.dictionary(key, value, { maxKeys: 8 });
const records = fc.array(fc.oneof(record, value), { maxLength: 20 });

/** Text mangled the way a broken client mangles it: cut, a byte flipped, a line doubled. */
function mangle(text: string, cut: number, flip: number): string {
  if (text.length === 0) return text;
  const at = flip % text.length;
  const flipped = `${text.slice(0, at)}${String.fromCharCode((text.charCodeAt(at) + 1) % 128)}${text.slice(at + 1)}`;
  return cut % 3 === 0 ? text.slice(0, cut % text.length) : cut % 3 === 1 ? flipped : text;
}

const PROTOCOLS: Array<{ name: string; path: string; type: string; encode: (rs: unknown[]) => string }> = [
  {
    name: 'native NDJSON',
    path: '/api/v1/ingest',
    type: 'application/x-ndjson',
    encode: (rs) => rs.map((r) => JSON.stringify(r)).join('\n'),
  },
  {
    name: 'native JSON',
    path: '/api/v1/ingest',
    type: 'application/json',
    encode: (rs) => JSON.stringify(rs),
  },
  {
    name: 'ES bulk',
    path: '/fuzz/_bulk',
    type: 'application/x-ndjson',
    encode: (rs) => rs.map((r) => `{"index":{}}\n${JSON.stringify(r)}`).join('\n'),
  },
  {
    name: 'OTLP',
    path: '/v1/logs',
    type: 'application/json',
    encode: (rs) =>
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: rs.map((r) => ({
                  body: { stringValue: JSON.stringify(r) },
                  attributes: [{ key: 'k', value: { stringValue: typeof r } }],
                })),
              },
            ],
          },
        ],
      }),
  },
  {
    name: 'Loki',
    path: '/loki/api/v1/push',
    type: 'application/json',
    encode: (rs) =>
      JSON.stringify({
        streams: [
          {
            stream: { service: 'checkout' },
            values: rs.map((r) => [String(Date.now() * 1e6), JSON.stringify(r)]),
          },
        ],
      }),
  },
];

describe('ingest decoders under fuzzing (fast-check)', () => {
  for (const protocol of PROTOCOLS) {
    it(`${protocol.name}: no 5xx, nothing accepted then lost, nothing filed under another tenant or service`, async () => {
      const bus = new RecordingBus();
      const gateway = createGateway({
        bus,
        rawTopic: 'logs.raw',
        keys: createKeyRing([
          {
            name: 'fuzz',
            key_sha256: sha256Hex(KEY),
            tenant: 'acme',
            roles: ['ingest'],
            services: ['checkout'],
          },
        ]),
        limits: {
          ...TEST_LIMITS,
          maxRecords: 50,
          eventTimeWindow: { backMs: 86_400_000, aheadMs: 3_600_000 },
        },
        log: silentLogger,
      });
      await fc.assert(
        fc.asyncProperty(records, fc.nat(), fc.nat(), async (rs, cut, flip) => {
          const before = bus.values('logs.raw').length;
          const res = await gateway.app.request(protocol.path, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': protocol.type },
            body: mangle(protocol.encode(rs), cut, flip),
          });
          const text = await res.text();
          assert.ok(res.status < 500, `${res.status} ${text}`);
          const stored = bus.values('logs.raw').slice(before);
          if (res.status >= 300) {
            assert.equal(stored.length, 0, `refused with ${res.status} but stored ${stored.length}`);
            return;
          }
          for (const e of stored) {
            assert.equal(e.tenant, 'acme');
            assert.equal(e.service, 'checkout');
          }
          if (protocol.path === '/api/v1/ingest') assert.equal(JSON.parse(text).accepted, stored.length);
        }),
        BUDGET,
      );
    });
  }
});
