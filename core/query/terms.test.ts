import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripSpans } from './ast.ts';
import { QuerySyntaxError } from './errors.ts';
import { parseQuery } from './parser.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const parse = (q: string) => stripSpans(parseQuery(q, { nowMs: NOW }));
const at0 = { start: 0, end: 0 };

describe('terms: full text', () => {
  it('folds words and splits them into tokens; several tokens make a phrase', () => {
    assert.deepEqual(parse('Checkout'), { type: 'text', tokens: ['checkout'], prefix: false, ...at0 });
    assert.deepEqual(parse('payment-gateway'), {
      type: 'text',
      tokens: ['payment', 'gateway'],
      prefix: false,
      ...at0,
    });
    assert.deepEqual(parse('user=bob'), { type: 'text', tokens: ['user', 'bob'], prefix: false, ...at0 });
    assert.deepEqual(parse('x->y'), { type: 'text', tokens: ['x', 'y'], prefix: false, ...at0 });
  });

  it('reads quoted phrases with \\" and \\\\ escapes', () => {
    assert.deepEqual(parse('"Gateway  Timeout"'), {
      type: 'text',
      tokens: ['gateway', 'timeout'],
      prefix: false,
      ...at0,
    });
    assert.deepEqual(parse('"say \\"hi\\""'), { type: 'text', tokens: ['say', 'hi'], prefix: false, ...at0 });
  });

  it('reads a trailing * as a prefix of the last token', () => {
    assert.deepEqual(parse('Time*'), { type: 'text', tokens: ['time'], prefix: true, ...at0 });
    assert.deepEqual(parse('payment-gat*'), {
      type: 'text',
      tokens: ['payment', 'gat'],
      prefix: true,
      ...at0,
    });
  });

  it('keeps * inside quotes as a separator, not a wildcard', () => {
    assert.deepEqual(parse('"time*"'), { type: 'text', tokens: ['time'], prefix: false, ...at0 });
  });

  it('reads message:word, message:"phrase" and message:pre* as full text', () => {
    assert.deepEqual(parse('message:Timeout'), { type: 'text', tokens: ['timeout'], prefix: false, ...at0 });
    assert.deepEqual(parse('message:"a b"'), { type: 'text', tokens: ['a', 'b'], prefix: false, ...at0 });
    assert.deepEqual(parse('message:ti*'), { type: 'text', tokens: ['ti'], prefix: true, ...at0 });
    assert.deepEqual(parse('message:*'), { type: 'all', ...at0 });
  });
});

describe('terms: reserved keyword fields', () => {
  it('reads exact values, keeping case, and quoted values verbatim', () => {
    assert.deepEqual(parse('service:Checkout'), {
      type: 'keyword',
      field: 'service',
      op: 'eq',
      value: 'Checkout',
      ...at0,
    });
    assert.deepEqual(parse('host:"a b*"'), {
      type: 'keyword',
      field: 'host',
      op: 'eq',
      value: 'a b*',
      ...at0,
    });
    assert.deepEqual(parse('correlation_id:0193f2c4-a:b'), {
      type: 'keyword',
      field: 'correlation_id',
      op: 'eq',
      value: '0193f2c4-a:b',
      ...at0,
    });
  });

  it('keeps backslashes that do not escape a quote or a backslash', () => {
    assert.deepEqual(parse('host:"C:\\temp\\\\x"'), {
      type: 'keyword',
      field: 'host',
      op: 'eq',
      value: 'C:\\temp\\x',
      ...at0,
    });
  });

  it('reads prefixes and existence', () => {
    assert.deepEqual(parse('host:node-*'), {
      type: 'keyword',
      field: 'host',
      op: 'prefix',
      value: 'node-',
      ...at0,
    });
    assert.deepEqual(parse('trace_id:*'), {
      type: 'keyword',
      field: 'trace_id',
      op: 'exists',
      value: '',
      ...at0,
    });
  });

  it('treats existence of always-present fields as match-all', () => {
    for (const field of ['id', 'service', 'tenant', 'level', 'ts'])
      assert.deepEqual(parse(`${field}:*`), { type: 'all', ...at0 });
  });

  it('refuses comparisons on keyword fields and on message', () => {
    assert.throws(() => parseQuery('service>a'), /field 'service' does not support comparisons/);
    assert.throws(() => parseQuery('message>=a'), /field 'message' does not support comparisons/);
  });
});

describe('terms: level', () => {
  it('normalizes common spellings, case-insensitively', () => {
    const levels = ['WARNING', 'warn', 'Err', 'crit', 'critical', 'information', 'dbg', 'emerg', 'panic'].map(
      (v) => {
        const node = parse(`level:${v}`);
        return node.type === 'level' ? node.level : undefined;
      },
    );
    assert.deepEqual(levels, ['warn', 'warn', 'error', 'fatal', 'fatal', 'info', 'debug', 'fatal', 'fatal']);
  });

  it('reads comparisons', () => {
    assert.deepEqual(parse('level>=warning'), { type: 'level', op: 'gte', level: 'warn', ...at0 });
    assert.deepEqual(parse('level<info'), { type: 'level', op: 'lt', level: 'info', ...at0 });
  });

  it('refuses unknown levels, pointing at the value', () => {
    assert.throws(
      () => parseQuery('level:loud'),
      (err: unknown) =>
        err instanceof QuerySyntaxError && err.position === 6 && /unknown level 'loud'/.test(err.message),
    );
  });
});

describe('terms: ts', () => {
  it('resolves relative and absolute times at parse time, keeping the text', () => {
    assert.deepEqual(parse('ts>=now-15m'), {
      type: 'ts',
      op: 'gte',
      ms: NOW - 900_000,
      value: 'now-15m',
      ...at0,
    });
    assert.deepEqual(parse('ts<"2026-11-23T11:00:00Z"'), {
      type: 'ts',
      op: 'lt',
      ms: NOW - 3_600_000,
      value: '2026-11-23T11:00:00Z',
      ...at0,
    });
    assert.deepEqual(parse('ts:1700000000000'), {
      type: 'ts',
      op: 'eq',
      ms: 1_700_000_000_000,
      value: '1700000000000',
      ...at0,
    });
  });

  it('reports invalid times as syntax errors at the value', () => {
    assert.throws(
      () => parseQuery('a ts>soon'),
      (err: unknown) =>
        err instanceof QuerySyntaxError && err.position === 5 && /invalid time 'soon'/.test(err.message),
    );
  });
});

describe('terms: attributes', () => {
  it('reads attrs.x and bare x as the same attribute', () => {
    const expected = { type: 'attr', name: 'http.status', op: 'eq', value: '504', number: 504, ...at0 };
    assert.deepEqual(parse('attrs.http.status:504'), expected);
    assert.deepEqual(parse('http.status:504'), expected);
  });

  it('uses attrs. to reach attributes named like reserved fields', () => {
    assert.deepEqual(parse('attrs.level:x'), {
      type: 'attr',
      name: 'level',
      op: 'eq',
      value: 'x',
      number: null,
      ...at0,
    });
  });

  it('precomputes the number of numeric values only', () => {
    assert.deepEqual(parse('x:"5e2"'), {
      type: 'attr',
      name: 'x',
      op: 'eq',
      value: '5e2',
      number: 500,
      ...at0,
    });
    assert.deepEqual(parse('x:0x10'), {
      type: 'attr',
      name: 'x',
      op: 'eq',
      value: '0x10',
      number: null,
      ...at0,
    });
  });

  it('reads comparisons, prefixes and existence', () => {
    assert.deepEqual(parse('latency>=-1.5'), {
      type: 'attr',
      name: 'latency',
      op: 'gte',
      value: '-1.5',
      number: -1.5,
      ...at0,
    });
    assert.deepEqual(parse('order.id:A-1*'), {
      type: 'attr',
      name: 'order.id',
      op: 'prefix',
      value: 'A-1',
      number: null,
      ...at0,
    });
    assert.deepEqual(parse('user:*'), {
      type: 'attr',
      name: 'user',
      op: 'exists',
      value: '',
      number: null,
      ...at0,
    });
    assert.deepEqual(parse('user:"*"'), {
      type: 'attr',
      name: 'user',
      op: 'eq',
      value: '*',
      number: null,
      ...at0,
    });
  });

  it('refuses non-numeric comparisons, suggesting quotes for text', () => {
    assert.throws(
      () => parseQuery('List<String>'),
      (err: unknown) =>
        err instanceof QuerySyntaxError &&
        err.position === 5 &&
        /expected a number .* quote it/.test(err.message),
    );
    assert.deepEqual(parse('"List<String>"'), {
      type: 'text',
      tokens: ['list', 'string'],
      prefix: false,
      ...at0,
    });
  });

  it('reads a scheme-like word as a field (quote URLs to search them as text)', () => {
    assert.deepEqual(parse('https://x.io'), {
      type: 'attr',
      name: 'https',
      op: 'eq',
      value: '//x.io',
      number: null,
      ...at0,
    });
    assert.deepEqual(parse('"https://x.io"'), {
      type: 'text',
      tokens: ['https', 'x', 'io'],
      prefix: false,
      ...at0,
    });
  });
});
