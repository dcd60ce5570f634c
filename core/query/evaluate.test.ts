import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../event/types.ts';
import type { QueryNode } from './ast.ts';
import { evaluate } from './evaluate.ts';
import { parseQuery } from './parser.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

const base: LogEvent = {
  id: '0193f2c4-aaaa',
  ts: '2026-11-23T11:50:00.123456Z',
  observed_ts: '2026-11-23T11:50:00.130Z',
  level: 'error',
  service: 'checkout',
  host: 'node-7',
  tenant: 'acme',
  correlation_id: '0193f2c4-cccc',
  message: "Payment-Gateway timeout after 3000 ms; foo_bar can't 3.14 Café",
  attrs: { 'http.status': 504, 'order.id': 'A-1001', code: '504', ok: true, gone: null, latency: 0.5 },
};

function matches(q: string, event: LogEvent = base): boolean {
  return evaluate(parseQuery(q, { nowMs: NOW }), event);
}

describe('evaluate: full text', () => {
  it('matches whole tokens of message, case-insensitively', () => {
    assert.equal(matches('timeout'), true);
    assert.equal(matches('TIMEOUT'), true);
    assert.equal(matches('time'), false);
    assert.equal(matches('checkout'), false); // service is not message
    assert.equal(matches('café CAFÉ'), true);
  });

  it('splits on everything but letters and digits', () => {
    assert.equal(matches('foo'), true);
    assert.equal(matches('bar'), true);
    assert.equal(matches('foo_bar'), true); // phrase foo bar
    assert.equal(matches('14'), true);
    assert.equal(matches('t'), true);
  });

  it('matches phrases only as consecutive tokens', () => {
    assert.equal(matches('"payment gateway"'), true);
    assert.equal(matches('payment-gateway'), true);
    assert.equal(matches('payment_gateway'), true);
    assert.equal(matches('"gateway payment"'), false);
    assert.equal(matches('"payment timeout"'), false);
  });

  it('matches prefixes against the start of a token', () => {
    assert.equal(matches('time*'), true);
    assert.equal(matches('imeout*'), false);
    assert.equal(matches('payment-gate*'), true);
    assert.equal(matches('payment-time*'), false);
  });

  it('folds Σ and İ per code point, like the stores', () => {
    const event = { ...base, message: 'ΟΔΟΣ İZMIR' };
    assert.equal(matches('οδοσ', event), true);
    assert.equal(matches('izmir', event), true);
  });
});

describe('evaluate: reserved fields', () => {
  it('matches keyword fields exactly and case-sensitively', () => {
    assert.equal(matches('service:checkout'), true);
    assert.equal(matches('service:Checkout'), false);
    assert.equal(matches('service:check'), false);
    assert.equal(matches('service:check*'), true);
    assert.equal(matches('correlation_id:0193f2c4-cccc'), true);
  });

  it('never matches a missing field positively; negation matches it', () => {
    assert.equal(matches('env:prod'), false);
    assert.equal(matches('-env:prod'), true);
    assert.equal(matches('env:*'), false);
    assert.equal(matches('host:*'), true);
    assert.equal(matches('-host:node-7'), false);
  });

  it('compares levels by severity', () => {
    assert.equal(matches('level:error'), true);
    assert.equal(matches('level:err'), true);
    assert.equal(matches('level>=warn'), true);
    assert.equal(matches('level>error'), false);
    assert.equal(matches('level<fatal'), true);
  });

  it('compares ts at millisecond resolution, rounding the event time down', () => {
    assert.equal(matches('ts:"2026-11-23T11:50:00.123Z"'), true);
    assert.equal(matches('ts>2026-11-23T11:50:00.123Z'), false);
    assert.equal(matches('ts>=now-15m'), true);
    assert.equal(matches('ts>=now-5m'), false);
    assert.equal(matches('ts>=now-15m', { ...base, ts: '2026-11-23T12:50:00+01:00' }), true);
  });
});

describe('evaluate: attributes', () => {
  it('compares numbers numerically when both sides are numbers', () => {
    assert.equal(matches('http.status:504'), true);
    assert.equal(matches('http.status:504.0'), true);
    assert.equal(matches('http.status:5.04e2'), true);
    assert.equal(matches('attrs.http.status:504'), true);
  });

  it('compares strings and booleans as exact text', () => {
    assert.equal(matches('code:504'), true);
    assert.equal(matches('code:504.0'), false);
    assert.equal(matches('order.id:A-1001'), true);
    assert.equal(matches('order.id:a-1001'), false);
    assert.equal(matches('ok:true'), true);
    assert.equal(matches('ok:TRUE'), false);
  });

  it('compares only numeric attributes with > >= < <=', () => {
    assert.equal(matches('http.status>=500'), true);
    assert.equal(matches('http.status>504'), false);
    assert.equal(matches('code>=500'), false); // "504" is a string
    assert.equal(matches('latency<1'), true);
  });

  it('matches prefixes against the text form, numbers in JSON form', () => {
    assert.equal(matches('http.status:5*'), true);
    assert.equal(matches('latency:0.*'), true);
    assert.equal(matches('order.id:A-*'), true);
    assert.equal(matches('ok:tr*'), true);
  });

  it('treats missing and null attributes as absent', () => {
    for (const q of ['gone:*', 'gone:null', 'absent:*', 'absent:x', 'absent>=0'])
      assert.equal(matches(q), false, q);
    assert.equal(matches('-absent:x'), true);
    assert.equal(matches('-gone:*'), true);
    assert.equal(matches('http.status:*'), true);
  });

  it('does not see inherited properties as attributes', () => {
    assert.equal(matches('constructor:*'), false);
    assert.equal(matches('toString:*'), false);
  });
});

describe('evaluate: boolean logic', () => {
  it('combines terms with AND, OR, NOT and parentheses', () => {
    assert.equal(matches('timeout service:checkout'), true);
    assert.equal(matches('timeout service:other'), false);
    assert.equal(matches('nothing OR level:error'), true);
    assert.equal(matches('-(nothing OR level:error)'), false);
    assert.equal(matches('(nothing OR timeout) -healthcheck'), true);
    assert.equal(matches('*'), true);
    assert.equal(matches('-*'), false);
  });

  it('matches nothing for hand-built text terms that no message token can equal', () => {
    const node = (tokens: string[], prefix: boolean): QueryNode => ({
      type: 'text',
      tokens,
      prefix,
      start: 0,
      end: 0,
    });
    assert.equal(evaluate(node([''], true), base), false);
    assert.equal(evaluate(node(['Timeout'], false), base), false);
    assert.equal(evaluate(node(['time out'], false), base), false);
    assert.equal(evaluate(node([], false), base), false);
  });
});
