import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { QueryNode } from '../../../../core/query/ast.ts';
import { QueryError } from '../../../../core/query/errors.ts';
import { evaluate } from '../../../../core/query/evaluate.ts';
import { parseQuery } from '../../../../core/query/parser.ts';
import { randomEvent } from '../../../../core/query/random.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import { attrJsonPath, compileSqlite, fts5Query } from './compileSqlite.ts';
import { selectIds, sqliteWithEvents } from './testing/sqliteEvents.ts';

function event(id: string, message: string, extra: Partial<LogEvent> = {}): LogEvent {
  return {
    id,
    ts: '2026-11-23T12:00:00Z',
    observed_ts: '2026-11-23T12:00:00Z',
    level: 'info',
    service: 'checkout',
    tenant: 'acme',
    message,
    attrs: {},
    ...extra,
  };
}

const CRAFTED: LogEvent[] = [
  event('c1', 'payment NEAR gateway AND col: ^start DROP TABLE events; -- done', { host: 'nöde-1' }),
  event('c2', 'it\'s "quoted" and back\\slash /* comment */ 1=1', { attrs: { 'a"b': 'q', 'c\\d': 2 } }),
  event('c3', 'payment gateway timeout', { env: 'prod', attrs: { 'http.status': 504 } }),
];

function expectedIds(events: readonly LogEvent[], ast: QueryNode): string[] {
  return events
    .filter((e) => evaluate(ast, e))
    .map((e) => e.id)
    .sort();
}

describe('compileSqlite', () => {
  it('builds the FTS5 query from tokens, each double-quoted, as a bound parameter', () => {
    assert.deepEqual(compileSqlite(parseQuery('Payment-Gat*')), {
      where: '(rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?))',
      params: ['"payment" + "gat" *'],
    });
    assert.equal(fts5Query(['a"b'], false), '"a""b"');
  });

  it('binds keyword, level, ts and attribute values as parameters', () => {
    const { where, params } = compileSqlite(
      parseQuery('service:checkout host:n* level>=warn ts<1000 http.status>=500', { nowMs: 0 }),
    );
    assert.equal(
      where,
      "((service = ?) AND coalesce(substr(host, 1, ?) = ?, 0) AND (level >= ?) AND (ts < ?) AND coalesce(json_type(attrs, ?) IN ('integer','real') AND json_extract(attrs, ?) >= ?, 0))",
    );
    assert.deepEqual(params, ['checkout', 1, 'n', 3, 1000, '$."http.status"', '$."http.status"', 500]);
  });

  it('quotes attribute keys in JSON paths, escaping quotes and backslashes', () => {
    assert.equal(attrJsonPath('http.status'), '$."http.status"');
    assert.equal(attrJsonPath('a"b'), '$."a\\"b"');
    const db = sqliteWithEvents(CRAFTED);
    for (const [name, value, number] of [
      ['a"b', 'q', null],
      ['c\\d', '2', 2],
    ] as const) {
      const ast: QueryNode = { type: 'attr', name, op: 'eq', value, number, start: 0, end: 0 };
      const { where, params } = compileSqlite(ast);
      assert.deepEqual(selectIds(db, where, params), ['c2'], name);
    }
  });

  it('makes negated terms match rows where the field is missing (no NULL leaks through NOT)', () => {
    const db = sqliteWithEvents(CRAFTED);
    const run = (q: string) => {
      const { where, params } = compileSqlite(parseQuery(q));
      return selectIds(db, where, params);
    };
    assert.deepEqual(run('-env:prod'), ['c1', 'c2']);
    assert.deepEqual(run('-env:pr*'), ['c1', 'c2']);
    assert.deepEqual(run('-http.status>=500'), ['c1', 'c2']);
    assert.deepEqual(run('-http.status:5*'), ['c1', 'c2']);
    assert.deepEqual(run('-http.status:504'), ['c1', 'c2']);
    assert.deepEqual(run('host:nö*'), ['c1']);
  });

  it('matches hand-built text terms that no message token can equal against nothing', () => {
    const node: QueryNode = { type: 'text', tokens: ['PAYMENT'], prefix: false, start: 0, end: 0 };
    assert.deepEqual(compileSqlite(node), { where: '0', params: [] });
  });
});

describe('compileSqlite: hostile input', () => {
  const rng = mulberry32(99);
  const events = [...CRAFTED, ...Array.from({ length: 100 }, (_, i) => randomEvent(rng, i))];
  const db = sqliteWithEvents(events);
  const HOSTILE = [
    '"; DROP TABLE events; --',
    "'; DROP TABLE events; --",
    "x' OR '1'='1",
    "service:x'OR'1'='1",
    'service:"x\' OR 1=1 --"',
    'NEAR(payment gateway)',
    'NEAR(payment',
    'message:NEAR(payment, 2)',
    '^start',
    'col:payment',
    'events_fts:payment',
    'rowid:1',
    'message:payment AND gateway',
    '"payment" + "gateway"',
    '"payment" * gateway',
    '"a""b"',
    'payment AND NOT gateway OR DROP',
    '/* comment */ payment',
    'payment -- comment',
    'back\\slash',
    '"\\" OR 1=1 \\""',
    'x".y:1',
    'attrs.a:1) OR 1=1 --',
    'http.status>=0 OR 1=1',
    'level:info;',
    '{message}: payment',
    'payment\u0000gateway',
    `"${'payment '.repeat(500)}"`,
    'p'.repeat(4000),
    'payment '.repeat(600),
    '('.repeat(40),
  ];

  it('answers with results or a query error, never an SQL error, and never more rows than evaluate', () => {
    for (const q of HOSTILE) {
      let ast: QueryNode;
      try {
        ast = parseQuery(q);
      } catch (err) {
        assert.ok(err instanceof QueryError, `${q}: ${String(err)}`);
        continue;
      }
      const { where, params } = compileSqlite(ast);
      assert.doesNotMatch(where, /DROP|--|\/\*|;|NEAR|payment/, q);
      assert.deepEqual(selectIds(db, where, params), expectedIds(events, ast), q);
    }
    const count = db.prepare('SELECT count(*) AS n FROM events').get();
    assert.equal(count?.n, events.length);
  });
});
