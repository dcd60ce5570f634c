import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  type NormalizeContext,
  normalizeRecord,
  ORIGINAL_OBSERVED_TS_ATTR,
  ORIGINAL_TS_ATTR,
  RAW_LEVEL_ATTR,
  RAW_TS_ATTR,
} from './normalize.ts';
import { validateEvent } from './schema.ts';
import type { LogEvent } from './types.ts';

const ctx = { tenant: 'acme', observedMs: Date.UTC(2026, 10, 23, 12, 0, 5) };

function ok(record: unknown, context: NormalizeContext = ctx): LogEvent {
  const result = normalizeRecord(record, context);
  if (!result.ok) assert.fail(result.reason);
  return result.event;
}

describe('normalizeRecord', () => {
  it('normalizes every line of the sample JSON log to a valid event, lifting each spelling of the correlation id', () => {
    const lines = readFileSync(new URL('../../test/fixtures/logs/app.json.log', import.meta.url), 'utf8')
      .trim()
      .split('\n');
    const events = lines.map((line) => ok(JSON.parse(line)));
    for (const event of events) assert.deepEqual(validateEvent(event), { ok: true, event });
    const cid = '0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90';
    assert.deepEqual(
      events.map((e) => e.correlation_id),
      [cid, cid, cid, cid, undefined],
    );
    assert.deepEqual(
      events.map((e) => e.service),
      ['api-gateway', 'orders', 'payments', 'orders', 'orders'],
    );
    assert.equal(events[4].level, 'debug');
    assert.equal(events[2].level, 'error');
    assert.equal(events[2].message, 'payment gateway timeout after 3000 ms');
    assert.equal(events[2].attrs['error.code'], 504);
    assert.equal(events[3].ts, '2026-11-23T12:00:00.250Z');
    assert.equal(events[3].message, 'retrying payment (attempt 2)');
    assert.equal(events[0].attrs['http.method'], 'POST');
  });

  it('maps the aliases of contracts.md §1 onto the reserved fields', () => {
    const e = ok({
      '@timestamp': '2026-11-23T12:00:00Z',
      loglevel: 'WARNING',
      log: 'disk almost full',
      'service.name': 'storage',
      'x-correlation-id': 'abc-1',
      hostname: 'node-7',
      environment: 'prod',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
    });
    assert.equal(e.ts, '2026-11-23T12:00:00.000Z');
    assert.equal(e.level, 'warn');
    assert.equal(e.message, 'disk almost full');
    assert.equal(e.service, 'storage');
    assert.equal(e.correlation_id, 'abc-1');
    assert.equal(e.host, 'node-7');
    assert.equal(e.env, 'prod');
    assert.equal(e.trace_id, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(e.span_id, '00f067aa0ba902b7');
    assert.deepEqual(e.attrs, {});
  });

  it('takes nested service.name and flattens unknown nested fields into dotted attrs', () => {
    const e = ok({
      msg: 'x',
      service: { name: 'billing' },
      http: { status: 504, req: { path: '/a' } },
      tags: [1, 2],
    });
    assert.equal(e.service, 'billing');
    assert.deepEqual(e.attrs, { 'http.status': 504, 'http.req.path': '/a', tags: '[1,2]' });
  });

  it('keeps an attrs object as attributes without the attrs. prefix', () => {
    const e = ok({ message: 'm', attrs: { 'order.id': 'A-1', retries: 2 } });
    assert.deepEqual(e.attrs, { 'order.id': 'A-1', retries: 2 });
  });

  it('lets a later alias fill a reserved field given as null', () => {
    assert.equal(ok({ message: null, msg: 'from msg' }).message, 'from msg');
  });

  it('prefers the first alias in order and keeps the others as attributes', () => {
    const e = ok({ msg: 'short', message: 'long form' });
    assert.equal(e.message, 'long form');
    assert.equal(e.attrs.msg, 'short');
  });

  it('understands level spellings and numbers from syslog, pino and OpenTelemetry', () => {
    const level = (value: unknown, key = 'level') => ok({ message: 'm', [key]: value }).level;
    assert.equal(level('ERR'), 'error');
    assert.equal(level('Information'), 'info');
    assert.equal(level('crit'), 'fatal');
    assert.equal(level('trace'), 'trace');
    assert.equal(level(30), 'info'); // pino
    assert.equal(level(50), 'error'); // pino
    assert.equal(level(3), 'error'); // syslog err
    assert.equal(level(7), 'debug'); // syslog debug
    assert.equal(level(17, 'severity_number'), 'error'); // OTel ERROR
    assert.equal(level(9, 'severityNumber'), 'info'); // OTel INFO
    assert.equal(level(4, 'syslog_severity'), 'warn');
  });

  it('keeps an unknown level as info with the raw value in attrs', () => {
    const e = ok({ message: 'm', level: 'shouty' });
    assert.equal(e.level, 'info');
    assert.equal(e.attrs[RAW_LEVEL_ATTR], 'shouty');
  });

  it('parses epoch seconds, ms, µs and ns timestamps by magnitude', () => {
    const iso = '2026-11-23T12:00:00.250Z';
    assert.equal(ok({ message: 'm', ts: 1795435200.25 }).ts, iso);
    assert.equal(ok({ message: 'm', ts: 1795435200250 }).ts, iso);
    assert.equal(ok({ message: 'm', ts: 1795435200250000 }).ts.slice(0, 23), iso.slice(0, 23));
    assert.equal(ok({ message: 'm', ts: '1795435200250000000' }).ts.slice(0, 23), iso.slice(0, 23));
  });

  it('keeps nanosecond precision of RFC 3339 input', () => {
    assert.equal(
      ok({ message: 'm', ts: '2026-11-23T12:00:00.123456789Z' }).ts,
      '2026-11-23T12:00:00.123456789Z',
    );
    assert.equal(
      ok({ message: 'm', ts: '2026-11-23T13:00:00.5+01:00' }).ts.slice(0, 21),
      '2026-11-23T12:00:00.5',
    );
  });

  it('uses the observed time when the time cannot be parsed, keeping the raw value', () => {
    const e = ok({ message: 'm', ts: 'yesterday-ish' });
    assert.equal(e.ts, new Date(ctx.observedMs).toISOString());
    assert.equal(e.attrs[RAW_TS_ATTR], 'yesterday-ish');
  });

  it('takes the tenant from the context, never from the body', () => {
    const e = ok({ message: 'm', tenant: 'evil-corp' });
    assert.equal(e.tenant, 'acme');
    assert.equal(JSON.stringify(e).includes('evil-corp'), false);
  });

  it('mints a UUIDv7 id when the record has none and keeps a safe given id', () => {
    assert.match(ok({ message: 'm' }).id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    assert.equal(ok({ message: 'm', id: 'agent-1:42' }).id, 'agent-1:42');
    const numeric = ok({ message: 'm', id: 42 });
    assert.match(numeric.id, /^[0-9a-f]{8}-/);
    assert.equal(numeric.attrs.id, 42);
  });

  it("takes the context's id when the record names none, and a safe id of the record's over it", () => {
    const stable = '2d711642-b726-8044-8162-7ca9fbac32f5';
    assert.equal(ok({ message: 'm' }, { ...ctx, id: stable }).id, stable);
    assert.equal(ok({ message: 'm', id: 'agent-1:42' }, { ...ctx, id: stable }).id, 'agent-1:42');
    const numeric = ok({ message: 'm', id: 42 }, { ...ctx, id: stable });
    assert.equal(numeric.id, stable);
    assert.equal(numeric.attrs.id, 42);
  });

  it('keeps each record to itself when records are normalized one after another', () => {
    const first = ok({ message: 'one', level: 'warn', http: { status: 500 }, cid: 'c-1' });
    const second = ok({ msg: 'two' });
    assert.deepEqual(
      [first.level, first.correlation_id, first.attrs],
      ['warn', 'c-1', { 'http.status': 500 }],
    );
    assert.deepEqual([second.level, second.correlation_id, second.attrs], ['info', undefined, {}]);
    assert.equal(second.message, 'two');
  });

  it('fills service, host and env from defaults when the record has none', () => {
    const e = ok({ message: 'm' }, { ...ctx, defaults: { service: 'web', host: 'h1', env: 'dev' } });
    assert.equal(e.service, 'web');
    assert.equal(e.host, 'h1');
    assert.equal(e.env, 'dev');
    assert.equal(ok({ message: 'm' }).service, 'unknown');
  });

  it('refuses non-objects and records with no message, saying why', () => {
    for (const bad of [null, 42, 'text', [1, 2]]) {
      const r = normalizeRecord(bad, ctx);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.reason, /must be a JSON object/);
    }
    const r = normalizeRecord({ level: 'info' }, ctx);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /no message/);
  });

  it('does not let __proto__ keys pollute objects', () => {
    const e = ok(JSON.parse('{"message":"m","__proto__":{"polluted":true}}'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(e.attrs['__proto__.polluted'], true);
  });
});

describe('normalizeRecord with an event-time window', () => {
  const HOUR = 3_600_000;
  const arrival = ctx.observedMs;
  const windowed = { ...ctx, window: { backMs: 7 * 24 * HOUR, aheadMs: HOUR } };
  const arrivalIso = new Date(arrival).toISOString();

  it('keeps times inside the window as they are', () => {
    for (const offset of [-7 * 24 * HOUR, -1, 0, HOUR]) {
      const ts = new Date(arrival + offset).toISOString();
      const result = normalizeRecord({ message: 'm', ts }, windowed);
      assert.ok(result.ok);
      assert.equal(result.event.ts, ts);
      assert.equal(result.retimed, false);
      assert.equal(result.event.attrs[ORIGINAL_TS_ATTR], undefined);
    }
  });

  it('files times outside it under the arrival time, keeping the original as an attribute', () => {
    const cases: Array<[unknown, string]> = [
      [
        new Date(arrival - 7 * 24 * HOUR - 1).toISOString(),
        new Date(arrival - 7 * 24 * HOUR - 1).toISOString(),
      ],
      [new Date(arrival + HOUR + 1).toISOString(), new Date(arrival + HOUR + 1).toISOString()],
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ['2200-06-01T00:00:00Z', '2200-06-01T00:00:00.000Z'],
      ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
      [0, '1970-01-01T00:00:00.000Z'],
    ];
    for (const [ts, original] of cases) {
      const result = normalizeRecord({ message: 'm', ts }, windowed);
      assert.ok(result.ok);
      assert.equal(result.retimed, true, String(ts));
      assert.equal(result.event.ts, arrivalIso, String(ts));
      assert.equal(result.event.attrs[ORIGINAL_TS_ATTR], original, String(ts));
    }
  });

  it("bounds a shipper's observed time the same way", () => {
    const result = normalizeRecord({ message: 'm', observed_ts: '9999-01-01T00:00:00Z' }, windowed);
    assert.ok(result.ok);
    assert.equal(result.event.observed_ts, arrivalIso);
    assert.equal(result.event.attrs[ORIGINAL_OBSERVED_TS_ATTR], '9999-01-01T00:00:00.000Z');
  });

  it('takes any time as given without a window', () => {
    const result = normalizeRecord({ message: 'm', ts: '0001-01-01T00:00:00Z' }, ctx);
    assert.ok(result.ok);
    assert.equal(result.event.ts, '0001-01-01T00:00:00.000Z');
    assert.equal(result.retimed, false);
  });
});

describe('validateEvent', () => {
  it('names the field that is wrong', () => {
    const e = ok({ message: 'm' });
    const bad = { ...e, level: 'loud' };
    const r = validateEvent(bad);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /^level:/);
    const extra = validateEvent({ ...e, surprise: 1 });
    assert.equal(extra.ok, false);
  });
});

describe('normalizeRecord with hostile keys', () => {
  it('keeps a scalar __proto__ field as an attribute instead of dropping it', () => {
    const r = normalizeRecord(JSON.parse('{"message":"m","__proto__":"x"}'), ctx);
    assert.ok(r.ok);
    if (r.ok) {
      assert.equal(Object.getPrototypeOf(r.event.attrs), Object.prototype);
      assert.match(JSON.stringify(r.event.attrs), /"__proto__":"x"/);
    }
  });
});
