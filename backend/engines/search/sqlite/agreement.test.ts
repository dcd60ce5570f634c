import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../../../core/query/evaluate.ts';
import { randomEvent, randomQuery } from '../../../../core/query/random.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import { compileSqlite } from './compileSqlite.ts';
import { selectIds, sqliteWithEvents } from './testing/sqliteEvents.ts';

describe('SQLite compiler agrees with evaluate', () => {
  it('selects exactly the events evaluate accepts, for random queries over random events', () => {
    const rng = mulberry32(42);
    const events = Array.from({ length: 300 }, (_, i) => randomEvent(rng, i));
    const db = sqliteWithEvents(events);
    let nonEmpty = 0;
    for (let q = 0; q < 300; q++) {
      const { ast, text } = randomQuery(rng, 3);
      const { where, params } = compileSqlite(ast);
      const expected = events
        .filter((event) => evaluate(ast, event))
        .map((event) => event.id)
        .sort();
      assert.deepEqual(
        selectIds(db, where, params),
        expected,
        `${text}\n${where}\n${JSON.stringify(params)}`,
      );
      if (expected.length > 0 && expected.length < events.length) nonEmpty++;
    }
    // Many queries must split the events (select some, not all), or the comparison proves little.
    assert.ok(nonEmpty > 100, `only ${nonEmpty} queries selected some but not all events`);
  });
});
