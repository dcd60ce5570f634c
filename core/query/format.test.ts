import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../random/mulberry32.ts';
import { type QueryNode, stripSpans } from './ast.ts';
import { QueryUnprintableError } from './errors.ts';
import { formatQuery } from './format.ts';
import { parseQuery } from './parser.ts';
import { RANDOM_NOW_MS, randomQuery } from './random.ts';

const roundTrip = (q: string) => formatQuery(parseQuery(q, { nowMs: RANDOM_NOW_MS }));

describe('formatQuery', () => {
  it('prints canonical text: - for NOT, adjacency for AND, parentheses only where needed', () => {
    assert.equal(roundTrip('a AND (b OR c) AND NOT d'), 'a (b OR c) -d');
    assert.equal(roundTrip('(a b) OR c'), 'a b OR c');
    assert.equal(roundTrip('(a b) c'), '(a b) c');
    assert.equal(roundTrip('NOT (a OR b)'), '-(a OR b)');
    assert.equal(roundTrip('(a OR b) OR c'), '(a OR b) OR c');
  });

  it('prints phrases, prefixes and canonical field spellings', () => {
    assert.equal(roundTrip('Payment-Gateway'), '"payment gateway"');
    assert.equal(roundTrip('Payment-Gat*'), 'payment-gat*');
    assert.equal(
      roundTrip('level:WARNING attrs.http.status>=500 attrs.level:x'),
      'level:warn http.status>=500 attrs.level:x',
    );
    assert.equal(roundTrip('message:ti*'), 'ti*');
  });

  it('quotes values that would otherwise read differently', () => {
    assert.equal(
      roundTrip('host:"a b" env:"" user:"*" x:"C:\\\\d \\"q\\"" y:"(z)"'),
      'host:"a b" env:"" user:"*" x:"C:\\\\d \\"q\\"" y:"(z)"',
    );
  });

  it('prints text that parses back to the same tree, for random queries', () => {
    const rng = mulberry32(20261123);
    for (let i = 0; i < 1000; i++) {
      const { ast, text } = randomQuery(rng, 4);
      const reparsed = parseQuery(text, { nowMs: RANDOM_NOW_MS, maxTerms: 1000, maxLength: 100_000 });
      assert.deepEqual(stripSpans(reparsed), stripSpans(ast), text);
    }
  });

  it('refuses trees the parser could not have produced', () => {
    const attr = (name: string, op: 'eq' | 'prefix', value: string): QueryNode => ({
      type: 'attr',
      name,
      op,
      value,
      number: null,
      start: 0,
      end: 0,
    });
    assert.throws(() => formatQuery(attr('has space', 'eq', 'x')), QueryUnprintableError);
    assert.throws(() => formatQuery(attr('x', 'prefix', 'a b')), QueryUnprintableError);
    assert.throws(
      () => formatQuery({ type: 'text', tokens: ['a b'], prefix: false, start: 0, end: 0 }),
      QueryUnprintableError,
    );
    assert.equal(formatQuery(attr('1st', 'eq', 'x')), 'attrs.1st:x');
  });
});
