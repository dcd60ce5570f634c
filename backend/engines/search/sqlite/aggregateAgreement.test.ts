import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkAggregateAgreement } from '../../../../core/query/aggregate/random.ts';
import { randomEvent } from '../../../../core/query/random.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import { openSqliteSearchStore } from './sqliteSearchStore.ts';

const DAY = 86_400_000;

describe('SQLite aggregations agree with the reference', () => {
  it('answers random stats and top pipes over random events exactly as accumulate.ts does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-aggregate-'));
    // readers: 0 runs on this thread; the query API tests go through the reader threads.
    const store = openSqliteSearchStore({ path: dir, readers: 0 });
    try {
      const rng = mulberry32(11);
      // Half the events a day earlier, so partials of two days (and two tenants) are merged.
      const events = Array.from({ length: 400 }, (_, i) => {
        const event = randomEvent(rng, i);
        if (i % 2 === 1) event.ts = new Date(Date.parse(event.ts) - DAY).toISOString();
        return event;
      });
      assert.deepEqual((await store.index(events)).rejected, []);
      const { failures, nonEmpty } = await checkAggregateAgreement({
        events,
        rng,
        runs: 250,
        aggregate: (query, range, plan) => store.aggregate({ tenant: null, query, range, plan }),
      });
      assert.deepEqual(failures, []);
      assert.ok(nonEmpty > 100, `only ${nonEmpty} answers had rows`);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
