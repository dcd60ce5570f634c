import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../../core/event/types.ts';
import { QueryTooComplexError } from '../../../../core/query/errors.ts';
import { parseQuery } from '../../../../core/query/parser.ts';
import { randomQuery } from '../../../../core/query/random.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import {
  attrKey,
  boundToken,
  compileOpenSearch,
  MAX_ATTR_TEXT_UNITS,
  MAX_DATE_NANOS_MS,
  numberTerm,
  openSearchSearchFields,
  tsRangeQuery,
} from './compileOpenSearch.ts';

const compile = (q: string) => compileOpenSearch(parseQuery(q, { nowMs: Date.UTC(2026, 10, 23) }));

function event(extra: Partial<LogEvent>): LogEvent {
  return {
    id: 'e',
    ts: '2026-11-23T12:00:00Z',
    observed_ts: '2026-11-23T12:00:00Z',
    level: 'info',
    service: 's',
    tenant: 't',
    message: '',
    attrs: {},
    ...extra,
  };
}

/** Every object key anywhere in a compiled query. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value !== null && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      keysOf(inner, into);
    }
  return into;
}

describe('compileOpenSearch', () => {
  it('compiles words, phrases and prefixes to term-level queries on the pre-tokenized field', () => {
    assert.deepEqual(compile('Timeout'), { term: { 'search.tokens': 'timeout' } });
    assert.deepEqual(compile('time*'), { prefix: { 'search.tokens': { value: 'time' } } });
    assert.deepEqual(compile('"Gateway timeout"'), {
      match_phrase: { 'search.tokens': { query: 'gateway timeout', analyzer: 'whitespace', slop: 0 } },
    });
    assert.deepEqual(compile('payment-gat*'), {
      span_near: {
        clauses: [
          { span_term: { 'search.tokens': 'payment' } },
          { span_multi: { match: { prefix: { 'search.tokens': { value: 'gat' } } } } },
        ],
        slop: 0,
        in_order: true,
      },
    });
  });

  it('never uses a query type that parses user text as syntax', () => {
    const rng = mulberry32(3);
    const forbidden = ['query_string', 'simple_query_string', 'regexp', 'wildcard', 'fuzzy', 'script'];
    for (let i = 0; i < 300; i++) {
      const keys = keysOf(compileOpenSearch(randomQuery(rng, 3).ast));
      for (const key of forbidden) assert.equal(keys.has(key), false, key);
    }
    assert.deepEqual(compile('"a AND b OR c*"'), {
      match_phrase: { 'search.tokens': { query: 'a and b or c', analyzer: 'whitespace', slop: 0 } },
    });
  });

  it('folds AND with negations into one bool and cancels double negation', () => {
    assert.deepEqual(compile('a -b (c d)'), {
      bool: {
        filter: [
          { term: { 'search.tokens': 'a' } },
          { term: { 'search.tokens': 'c' } },
          { term: { 'search.tokens': 'd' } },
        ],
        must_not: [{ term: { 'search.tokens': 'b' } }],
      },
    });
    assert.deepEqual(compile('NOT NOT a'), { term: { 'search.tokens': 'a' } });
    assert.deepEqual(compile('-a'), { bool: { must_not: [{ term: { 'search.tokens': 'a' } }] } });
    assert.deepEqual(compile('* OR a'), { match_all: {} });
    assert.deepEqual(compile('-*'), { match_none: {} });
  });

  it('compares levels by rank and keeps keyword fields exact', () => {
    assert.deepEqual(compile('level>=warning'), { range: { 'search.level_rank': { gte: 3 } } });
    assert.deepEqual(compile('level:e'), { term: { 'search.level_rank': 4 } });
    assert.deepEqual(compile('service:Checkout'), { term: { service: 'Checkout' } });
    assert.deepEqual(compile('host:node-*'), { prefix: { host: { value: 'node-' } } });
    assert.deepEqual(compile('trace_id:*'), { exists: { field: 'trace_id' } });
  });

  it('shifts ts bounds to whole milliseconds on date_nanos', () => {
    const at = Date.UTC(2026, 10, 23, 12);
    const range = (q: string) =>
      (compile(q) as { range: { 'search.ts': Record<string, unknown> } }).range['search.ts'];
    assert.deepEqual(range('ts>2026-11-23T12:00:00Z'), { format: 'epoch_millis', gte: at + 1 });
    assert.deepEqual(range('ts<=2026-11-23T12:00:00Z'), { format: 'epoch_millis', lt: at + 1 });
    assert.deepEqual(range('ts:2026-11-23T12:00:00Z'), { format: 'epoch_millis', gte: at, lt: at + 1 });
  });

  it('clamps time bounds to what date_nanos holds instead of sending ones OpenSearch refuses', () => {
    assert.deepEqual(tsRangeQuery(-5, null), { match_all: {} });
    assert.deepEqual(tsRangeQuery(null, 0), { match_none: {} });
    assert.deepEqual(tsRangeQuery(null, MAX_DATE_NANOS_MS + 10), { match_all: {} });
    assert.deepEqual(tsRangeQuery(MAX_DATE_NANOS_MS + 1, null), { match_none: {} });
    assert.deepEqual(tsRangeQuery(-5, 10), { range: { 'search.ts': { format: 'epoch_millis', lt: 10 } } });
  });

  it('matches attributes by typed terms: numbers numerically, text exactly', () => {
    assert.deepEqual(compile('http.status:504'), {
      bool: {
        should: [
          { term: { 'search.attr_num': numberTerm('http.status', 504) } },
          { term: { 'search.attr_text': 'http.status\u0000504' } },
        ],
        minimum_should_match: 1,
      },
    });
    assert.deepEqual(compile('order.id:A-1'), { term: { 'search.attr_text': 'order.id\u0000A-1' } });
    assert.deepEqual(compile('user:*'), { term: { 'search.attr_keys': 'user' } });
    assert.deepEqual(compile('latency>250'), {
      range: { 'search.attr_num': { gt: numberTerm('latency', 250), lt: 'latency\u0000g' } },
    });
    assert.deepEqual(compile('latency<=250'), {
      range: { 'search.attr_num': { gte: 'latency\u0000', lte: numberTerm('latency', 250) } },
    });
  });

  it('refuses values too long to have been indexed, as a query error', () => {
    const long = 'x'.repeat(MAX_ATTR_TEXT_UNITS + 1);
    const ast = { type: 'attr', name: 'a', op: 'eq', value: long, number: null, start: 3, end: 4 } as const;
    assert.throws(() => compileOpenSearch(ast), QueryTooComplexError);
  });
});

describe('OpenSearch attribute terms', () => {
  it('orders number terms as the numbers they encode, with -0 equal to 0', () => {
    const rng = mulberry32(11);
    const numbers = [
      0,
      -0,
      1,
      -1,
      0.5,
      -0.5,
      1e21,
      -1e21,
      5e-324,
      -5e-324,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
    ];
    for (let i = 0; i < 500; i++) numbers.push((rng() - 0.5) * 10 ** Math.floor(rng() * 40 - 20));
    const byValue = [...numbers].sort((a, b) => a - b).map((n) => numberTerm('k', n));
    const byText = numbers.map((n) => numberTerm('k', n)).sort();
    assert.deepEqual(byText, byValue);
    assert.equal(numberTerm('k', -0), numberTerm('k', 0));
    assert.match(numberTerm('k', 3), /^k\u0000[0-9a-f]{16}$/);
  });

  it('keeps distinct attribute names from sharing a term prefix, NUL in names included', () => {
    const names = ['a', 'a\u0000', 'a\u0000b', 'a\u0001', 'a\u00010', 'ab', ''];
    const keys = names.map(attrKey);
    assert.equal(new Set(keys).size, names.length);
    for (const a of keys)
      for (const b of keys) if (a !== b) assert.equal(`${b}\u0000x`.startsWith(`${a}\u0000`), false);
  });

  it('projects an event: folded tokens, normalized ts, level rank, typed attribute terms', () => {
    const fields = openSearchSearchFields(
      event({
        message: 'Payment-Gateway ΣΟΦΟΣ',
        level: 'warn',
        attrs: { n: 504, s: '504', b: true, nil: null, inf: Number.POSITIVE_INFINITY },
      }),
      '2026-11-23T12:00:00.000Z',
    );
    assert.deepEqual(fields, {
      ts: '2026-11-23T12:00:00.000Z',
      tokens: 'payment gateway σοφοσ',
      level_rank: 3,
      attr_keys: ['n', 's', 'b'],
      attr_text: ['n\u0000504', 's\u0000504', 'b\u0000true'],
      attr_num: [numberTerm('n', 504)],
      attr_numbers: [{ k: 'n', n: 504 }], // finite numbers only: what aggregations read
    });
  });

  it('bounds tokens and attribute text so no term passes Lucene limits, the same way on both sides', () => {
    assert.equal(boundToken('a'.repeat(300)).length, 255);
    assert.equal(boundToken(`${'a'.repeat(254)}😀x`).length, 256); // Lucene keeps the pair whole
    const long = 'y'.repeat(MAX_ATTR_TEXT_UNITS + 50);
    const fields = openSearchSearchFields(event({ message: 'z'.repeat(400), attrs: { long } }), 'x');
    assert.equal(fields.tokens.length, 255);
    assert.equal(fields.attr_text?.[0].length, 'long\u0000'.length + MAX_ATTR_TEXT_UNITS + 1);
  });
});
