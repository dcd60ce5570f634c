import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../core/event/types.ts';
import { evaluate, parseQuery } from '../../core/query/index.ts';

// The browser module under test: plain JavaScript, loaded by URL so TypeScript treats it as untyped.
const terms = await import(new URL('./public/queryTerms.js', import.meta.url).href);

const NOW = Date.UTC(2026, 10, 23, 12);
const matches = (q: string, event: LogEvent) => evaluate(parseQuery(q, { nowMs: NOW }), event);

const event: LogEvent = {
  id: '0193f2c4-7d2a-7000-8000-000000000001',
  ts: '2026-11-23T12:00:00.123Z',
  observed_ts: '2026-11-23T12:00:00.130Z',
  level: 'error',
  service: 'check out(1)',
  host: 'node-7',
  env: 'pr"od\\x',
  tenant: 'acme',
  correlation_id: 'req-1',
  message: 'payment gateway timeout',
  attrs: {
    'http.status': 504,
    'order.id': 'A 1001',
    wildcard: 'ab*',
    empty: '',
    ok: false,
    ratio: 0.5,
    big: 1e21,
    numeric_text: '504',
    level: 'custom',
    ünïcode: 'värde',
    'has space': 'x',
  },
};

describe('filter terms the UI writes', () => {
  it('match the event they were built from, and their negation does not', () => {
    const fields: Array<[string, unknown]> = [
      ['level', event.level],
      ['service', event.service],
      ['host', event.host],
      ['env', event.env],
      ['tenant', event.tenant],
      ['correlation_id', event.correlation_id],
      ['id', event.id],
    ];
    for (const [name, value] of Object.entries(event.attrs)) fields.push([terms.attrField(name), value]);
    for (const [field, value] of fields) {
      const term = terms.fieldTerm(field, value);
      if (term === null) continue;
      assert.equal(matches(term, event), true, `${term} should match`);
      assert.equal(matches(terms.fieldTerm(field, value, true), event), false, `-${term} should not match`);
    }
  });

  it('quote values with spaces, parentheses, quotes, backslashes or a star, and nothing else', () => {
    assert.equal(terms.fieldTerm('service', 'checkout'), 'service:checkout');
    assert.equal(terms.fieldTerm('order.id', 'A 1001'), 'order.id:"A 1001"');
    assert.equal(terms.fieldTerm('env', 'pr"od\\x'), 'env:"pr\\"od\\\\x"');
    assert.equal(terms.fieldTerm('x', 'ab*'), 'x:"ab*"');
    assert.equal(terms.fieldTerm('x', ''), 'x:""');
    assert.equal(terms.fieldTerm('http.status', 504), 'http.status:504');
    assert.equal(terms.fieldTerm('service', 'checkout', true), '-service:checkout');
  });

  it('reach an attribute named like a reserved field through attrs.', () => {
    assert.equal(terms.attrField('level'), 'attrs.level');
    assert.equal(terms.attrField('http.status'), 'http.status');
    assert.equal(matches(terms.fieldTerm(terms.attrField('level'), 'custom'), event), true);
  });

  it('are not offered for names the query language cannot express, nor for objects', () => {
    assert.equal(terms.fieldTerm('has space', 'x'), null);
    assert.equal(terms.fieldTerm('trailing.', 'x'), null);
    assert.equal(terms.fieldTerm('x', { nested: 1 }), null);
    assert.equal(terms.fieldTerm('x', null), null);
  });

  it('are added with AND, keeping a top-level OR together', () => {
    assert.equal(terms.addTerm('', 'level:error'), 'level:error');
    assert.equal(terms.addTerm('  * ', 'level:error'), 'level:error');
    assert.equal(terms.addTerm('timeout', 'level:error'), 'timeout level:error');
    const q = terms.addTerm('service:a OR service:b', 'level:error');
    assert.equal(q, '(service:a OR service:b) level:error');
    const other = { ...event, service: 'a', level: 'info' as const };
    assert.equal(matches(q, other), false);
  });
});

describe('include and exclude from the field sidebar and an opened event', () => {
  it('replace the opposite term for the same value instead of adding a contradiction', () => {
    const excluded = terms.setTerm('timeout service:checkout', 'service', 'checkout', true);
    assert.equal(excluded, 'timeout -service:checkout');
    assert.equal(matches(excluded, { ...event, service: 'checkout' }), false);
    assert.equal(matches(excluded, { ...event, service: 'payments' }), true);
    assert.equal(terms.setTerm(excluded, 'service', 'checkout', false), 'timeout service:checkout');
    assert.equal(terms.setTerm('NOT service:checkout', 'service', 'checkout', false), 'service:checkout');
    assert.equal(terms.setTerm('a AND service:checkout', 'service', 'checkout', true), 'a -service:checkout');
    assert.equal(terms.setTerm('service:checkout AND a', 'service', 'checkout', true), 'a -service:checkout');
  });

  it('leave other values, quoted values and repeated clicks alone', () => {
    assert.equal(terms.setTerm('service:a', 'service', 'b', true), 'service:a -service:b');
    assert.equal(terms.setTerm('order.id:"A 1001" x', 'order.id', 'A 1001', true), 'x -order.id:"A 1001"');
    assert.equal(terms.setTerm('level:error', 'level', 'error', false), 'level:error');
    assert.equal(
      terms.setTerm('"service:checkout"', 'service', 'checkout', true),
      '"service:checkout" -service:checkout',
    );
  });

  it('add to a query with a top-level OR (or that does not balance) as a whole, never inside it', () => {
    const q = terms.setTerm('service:checkout OR level:error', 'service', 'checkout', true);
    assert.equal(q, '(service:checkout OR level:error) -service:checkout');
    assert.equal(terms.setTerm('(a', 'service', 'x', false), '(a service:x');
    assert.equal(terms.setTerm('x', 'has space', 'x', false), null);
  });
});
