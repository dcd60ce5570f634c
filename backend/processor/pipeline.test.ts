import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../core/config/parseConfig.ts';
import { normalizeRecord } from '../../core/event/normalize.ts';
import type { LogEvent } from '../../core/event/types.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import { serverConfigSchema } from '../config/schema.ts';
import { buildPipeline } from './pipeline.ts';
import { keepFraction } from './stages/sample.ts';

function event(record: Record<string, unknown>, tenant = 'acme'): LogEvent {
  const r = normalizeRecord(record, { tenant, observedMs: Date.UTC(2026, 10, 23, 12) });
  if (!r.ok) throw new Error(r.reason);
  return r.event;
}

function pipelineFor(yaml: string) {
  const config = parseConfig(yaml, 'sluice.yaml', serverConfigSchema);
  const registry = new MetricsRegistry();
  const dropped = registry.counter('dropped', 'd', ['rule']);
  const sampledOut = registry.counter('sampled', 's', ['rule']);
  return {
    run: buildPipeline(config.processing, { dropped, sampledOut, log: silentLogger }),
    dropped,
    sampledOut,
  };
}

describe('processor pipeline', () => {
  it('parses raw messages by the service rule, taking the line’s own time, level, fields and correlation id', () => {
    const { run } = pipelineFor(`
processing:
  parse:
    - { service: nginx, format: nginx }
    - { service: billing, format: logfmt }
`);
    const [access, billing, other] = run([
      event({
        service: 'nginx',
        message:
          '10.0.0.6 - - [23/Nov/2026:12:00:01 +0000] "GET /orders/A-1001 HTTP/1.1" 504 160 "-" "Mozilla/5.0" rt=3.002 cid=0193f2c5-0000-7000-8000-000000000001',
      }),
      event({ service: 'billing', message: 'level=warn msg="card declined" amount=12.5 request_id=r-9' }),
      event({ service: 'web', message: 'level=warn msg=untouched' }),
    ]);
    assert.equal(access.attrs['http.status'], 504);
    assert.equal(access.level, 'error');
    assert.equal(access.correlation_id, '0193f2c5-0000-7000-8000-000000000001');
    assert.equal(access.ts.slice(0, 19), '2026-11-23T12:00:01');
    assert.equal(access.service, 'nginx');
    assert.equal(billing.message, 'card declined');
    assert.equal(billing.level, 'warn');
    assert.equal(billing.attrs.amount, 12.5);
    assert.equal(billing.correlation_id, 'r-9');
    assert.equal(other.message, 'level=warn msg=untouched');
  });

  it('keeps id, tenant and observed time through parsing', () => {
    const { run } = pipelineFor('processing: { parse: [ { service: "*", format: json } ] }');
    const before = event({ service: 'a', message: '{"msg":"inner","tenant":"evil","level":"error"}' });
    const [after] = run([before]);
    assert.equal(after.id, before.id);
    assert.equal(after.tenant, 'acme');
    assert.equal(after.observed_ts, before.observed_ts);
    assert.equal(after.message, 'inner');
    assert.equal(after.level, 'error');
  });

  it('enriches with static and per-service fields without overwriting what the event says', () => {
    const { run } = pipelineFor(`
processing:
  enrich:
    fields: { region: eu-west-1, team: core }
    services: { checkout: { team: payments, build: "42" } }
`);
    const [a, b] = run([
      event({ service: 'checkout', msg: 'x' }),
      event({ service: 'web', msg: 'y', region: 'us' }),
    ]);
    assert.deepEqual(a.attrs, { region: 'eu-west-1', team: 'core', build: '42' });
    assert.equal(b.attrs.region, 'us');
    assert.equal(b.attrs.team, 'core');
  });

  it('changes no event it is given: a changed one comes out new, an unchanged one as the same object', () => {
    const { run } = pipelineFor(`
processing:
  parse: [ { service: json, format: json } ]
  enrich: { services: { checkout: { team: payments } } }
`);
    const input = [
      event({ service: 'checkout', msg: 'enriched' }),
      event({ service: 'json', message: '{"msg":"parsed"}' }),
      event({ service: 'web', msg: 'token=abc123def456ghi789jkl masked' }),
      event({ service: 'web', msg: 'left alone' }),
    ];
    const copies = input.map((e) => structuredClone(e));
    const out = run(input);
    assert.deepEqual(input, copies, 'the input events are as they were');
    assert.deepEqual(
      out.map((e, i) => e === input[i]),
      [false, false, false, true],
    );
    assert.equal(out[0].attrs.team, 'payments');
    assert.equal(out[1].message, 'parsed');
    assert.doesNotMatch(out[2].message, /abc123/);
  });

  it('drops by filter rules written in the query language and counts drops per rule', () => {
    const { run, dropped } = pipelineFor(`
processing:
  filter:
    - { when: "level<=debug env:prod" }
    - { when: "service:healthcheck" }
`);
    const out = run([
      event({ msg: 'a', level: 'debug', env: 'prod' }),
      event({ msg: 'b', level: 'debug', env: 'dev' }),
      event({ msg: 'c', level: 'error', env: 'prod' }),
      event({ msg: 'd', service: 'healthcheck' }),
    ]);
    assert.deepEqual(
      out.map((e) => e.message),
      ['b', 'c'],
    );
    assert.equal(dropped.get({ rule: 'level<=debug env:prod' }), 1);
    assert.equal(dropped.get({ rule: 'service:healthcheck' }), 1);
  });

  it('samples deterministically by event id, near the configured rate', () => {
    const { run, sampledOut } = pipelineFor(`
processing:
  sample: [ { when: "service:healthcheck", rate: 0.1 } ]
`);
    const events = Array.from({ length: 5000 }, (_, i) => event({ msg: `m${i}`, service: 'healthcheck' }));
    events.push(event({ msg: 'other', service: 'web' }));
    const first = run(events.map((e) => ({ ...e }))).map((e) => e.id);
    const second = run(events.map((e) => ({ ...e }))).map((e) => e.id);
    assert.deepEqual(first, second, 'a replay makes the same choices');
    assert.ok(first.includes(events[events.length - 1].id), 'events no rule names are kept');
    const kept = first.length - 1;
    assert.ok(kept > 400 && kept < 600, `kept ${kept} of 5000 at rate 0.1`);
    assert.equal(sampledOut.get({ rule: 'service:healthcheck' }), 2 * (5000 - kept));
  });

  it('masks secrets server-side even when the shipper did not', () => {
    const { run } = pipelineFor('');
    const [e] = run([
      event({
        msg: 'login user=alice password=hunter2secret',
        token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      }),
    ]);
    assert.equal(e.message.includes('hunter2secret'), false);
    assert.match(e.message, /user=alice/);
    assert.equal(JSON.stringify(e.attrs).includes('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), false);
  });
});

describe('keepFraction', () => {
  it('spreads ids evenly over [0, 1)', () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++)
      buckets[Math.floor(keepFraction(`0193f2c4-7b1e-7cc2-9a43-${String(i).padStart(12, '0')}`) * 10)]++;
    for (const b of buckets) assert.ok(b > 800 && b < 1200, String(buckets));
  });
});
