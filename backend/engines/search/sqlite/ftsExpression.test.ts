import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, parseQuery } from '../../../../core/query/index.ts';
import { RANDOM_NOW_MS, randomEvent, randomQuery } from '../../../../core/query/random.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import { ftsExpression } from './ftsExpression.ts';
import { sqliteWithEvents } from './testing/sqliteEvents.ts';

const ast = (q: string) => parseQuery(q, { nowMs: RANDOM_NOW_MS });

describe('text queries as one FTS5 query', () => {
  it('joins words, phrases and prefixes with AND, OR and NOT', () => {
    assert.equal(ftsExpression(ast('"payment gateway" timeout')), '("payment" + "gateway") AND ("timeout")');
    assert.equal(ftsExpression(ast('a OR tim*')), '("a") OR ("tim" *)');
    assert.equal(ftsExpression(ast('a -b')), '(("a")) NOT ("b")');
  });

  it('has no form for fields, a lone negation or match-all', () => {
    assert.equal(ftsExpression(ast('timeout level:error')), null);
    assert.equal(ftsExpression(ast('-timeout')), null);
    assert.equal(ftsExpression({ type: 'all' } as never), null);
  });

  it('selects exactly what evaluate accepts, for random queries', () => {
    const rng = mulberry32(5);
    const events = Array.from({ length: 300 }, (_, i) => randomEvent(rng, i));
    const db = sqliteWithEvents(events);
    let checked = 0;
    for (let q = 0; q < 600; q++) {
      const { ast: query, text } = randomQuery(rng, 3);
      const fts = ftsExpression(query);
      if (fts === null) continue;
      checked++;
      const ids = db
        .prepare(
          'SELECT id FROM events WHERE rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)',
        )
        .all(fts)
        .map((row) => String(row.id))
        .sort();
      const expected = events
        .filter((event) => evaluate(query, event))
        .map((event) => event.id)
        .sort();
      assert.deepEqual(ids, expected, text);
    }
    assert.ok(checked > 30, `only ${checked} text-only queries`);
    db.close();
  });
});
