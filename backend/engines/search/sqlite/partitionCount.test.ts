import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../../../core/query/index.ts';
import { RANDOM_NOW_MS, randomEvent, randomQuery } from '../../../../core/query/random.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import { parseTimestamp } from '../../../../core/time/timestamp.ts';
import { compileSqlite } from './compileSqlite.ts';
import { ftsExpression } from './ftsExpression.ts';
import { type CountEstimate, chooseCount, countPartition } from './partitionCount.ts';
import { sqliteWithEvents } from './testing/sqliteEvents.ts';

const estimate = (e: Partial<CountEstimate>): CountEstimate => ({
  ftsOnly: true,
  textDriven: true,
  covers: false,
  partitionRows: 1_000_000,
  rowsInRange: 10_000,
  ftsMatches: null,
  max: 10_001,
  ...e,
});

describe('choosing how to count a partition', () => {
  it('counts on the FTS index alone when the range covers the partition and the query is only text', () => {
    assert.equal(chooseCount(estimate({ covers: true })), 'fts');
    assert.notEqual(chooseCount(estimate({ covers: true, ftsOnly: false })), 'fts');
  });

  it('bounds a common word to the rowids of a narrow range', () => {
    assert.equal(chooseCount(estimate({ rowsInRange: 10_000, ftsMatches: 150_000 })), 'window');
  });

  it('checks a rare word match by match, cheaper than listing the range', () => {
    assert.equal(chooseCount(estimate({ rowsInRange: 500_000, ftsMatches: 300 })), 'scan');
  });

  it('scans a wide range of a common word, where the bound is soon reached', () => {
    assert.equal(chooseCount(estimate({ rowsInRange: 900_000, ftsMatches: 150_000 })), 'scan');
  });

  it('leaves queries without text to the indexes', () => {
    assert.equal(chooseCount(estimate({ textDriven: false, ftsOnly: false })), 'scan');
  });
});

describe('counting a partition', () => {
  it('counts exactly what evaluate accepts in the range, whichever strategy it picks', () => {
    const rng = mulberry32(11);
    const events = Array.from({ length: 400 }, (_, i) => randomEvent(rng, i)).filter(
      (e) => e.tenant === 'acme',
    );
    // Inserted out of time order in places, so rowid windows are not always exact.
    events.sort((a, b) => a.ts.localeCompare(b.ts) || (rng() < 0.1 ? -1 : 1));
    const db = sqliteWithEvents(events);
    const ms = (e: (typeof events)[number]) => parseTimestamp(e.ts).ms;
    const strategies = new Set<string>();
    for (let q = 0; q < 300; q++) {
      const { ast, text } = randomQuery(rng, 2);
      const span = [60_000, 600_000, 3_600_000, 3 * 3_600_000][q % 4];
      const to = RANDOM_NOW_MS - Math.floor(rng() * 3_600_000) + (q % 5 === 0 ? 3_600_000 : 0);
      const from = to - span;
      const expected = events.filter((e) => ms(e) >= from && ms(e) < to && evaluate(ast, e)).length;
      for (const max of [expected + 1, Math.max(1, expected - 1)]) {
        const counted = countPartition(
          db,
          {
            tenant: 'acme',
            services: undefined,
            query: compileSqlite(ast),
            textDriven:
              ast.type === 'text' || (ast.type === 'and' && ast.children.some((c) => c.type === 'text')),
            fts: ftsExpression(ast),
            pure: false,
            from,
            to,
          },
          max,
        );
        strategies.add(counted.strategy);
        assert.equal(counted.matches, Math.min(expected, max), `${text} [${from}, ${to}) max ${max}`);
      }
    }
    assert.ok(strategies.size >= 3, [...strategies].join());
    db.close();
  });
});
