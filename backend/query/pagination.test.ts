import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../core/event/types.ts';
import { compareEvents } from './archiveSearch.ts';
import {
  DAY,
  event,
  HOUR,
  NOW,
  type QueryHarness,
  range,
  startQueryHarness,
} from './testing/queryHarness.ts';
import { seedWorld, type World } from './testing/world.ts';

interface Page {
  hits: LogEvent[];
  total: { value: number; relation: 'eq' | 'gte' };
  next_cursor: string | null;
}

describe('query API: cursor pagination while events keep arriving', () => {
  let h: QueryHarness;
  before(async () => {
    h = await startQueryHarness();
  });
  after(() => h.close());

  for (const order of ['desc', 'asc'] as const) {
    it(`order=${order}: every hit exactly once, new events after the cursor included once, before it never`, async () => {
      const base: LogEvent[] = [];
      for (let i = 0; i < 230; i++) {
        // Groups of three share a millisecond, so pages often end inside a tie broken by id.
        const ts = NOW - 55 * 60_000 + Math.floor(i / 3) * 20_000;
        base.push(event(`pg-${order}`, i % 2 === 0 ? 'web' : 'api', ts, `page test ${i}`));
        if (i % 10 === 0) base.push(event('pg-other', 'web', ts, `other tenant ${i}`));
      }
      await h.search.index(base);
      const tenant = `pg-${order}`;
      const mine = base.filter((e) => e.tenant === tenant);
      const sign = order === 'asc' ? 1 : -1;
      const seen: LogEvent[] = [];
      const added: Array<{ event: LogEvent; ahead: boolean }> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const path: string = `/api/v1/search?${range(NOW - HOUR, NOW)}&limit=25&order=${order}&tenant=${tenant}${cursor === null ? '' : `&cursor=${cursor}`}`;
        const page: Page = await h.json<Page>(path, 'operator');
        seen.push(...page.hits);
        cursor = page.next_cursor;
        pages++;
        const last = page.hits.at(-1);
        if (cursor !== null && last !== undefined) {
          // Between pages: one event behind the cursor (already passed), one ahead of it, one tied with
          // it on ts (its id decides), and one of another tenant ahead of it.
          const lastMs = Date.parse(last.ts);
          const behind = event(tenant, 'web', lastMs - sign * 7_000, `late arrival behind ${pages}`);
          const ahead = event(tenant, 'api', lastMs + sign * 3_000, `late arrival ahead ${pages}`);
          const tie = event(tenant, 'web', lastMs, `late arrival tied ${pages}`);
          const foreign = event('pg-other', 'api', lastMs + sign * 3_000, `foreign ${pages}`);
          const inRange = (e: LogEvent) => Date.parse(e.ts) >= NOW - HOUR && Date.parse(e.ts) < NOW;
          for (const e of [behind, ahead, tie].filter(inRange)) {
            added.push({ event: e, ahead: sign * compareEvents(e, last) > 0 });
          }
          await h.search.index([behind, ahead, tie, foreign]);
        }
      } while (cursor !== null && pages < 100);

      assert.ok(pages > 8, `${pages} pages`);
      const seenIds = seen.map((e) => e.id);
      assert.equal(new Set(seenIds).size, seenIds.length, 'no hit on two pages');
      assert.ok(seen.every((e) => e.tenant === tenant));
      for (let i = 1; i < seen.length; i++) {
        assert.ok(sign * compareEvents(seen[i - 1], seen[i]) < 0, `order broken at ${i}`);
      }
      const expected = [...mine, ...added.filter((a) => a.ahead).map((a) => a.event)];
      assert.deepEqual([...seenIds].sort(), expected.map((e) => e.id).sort());
      assert.ok(added.some((a) => a.ahead) && added.some((a) => !a.ahead), 'both kinds of arrivals happened');
    });
  }
});

describe('query API: source=auto joins the archive and the hot store', () => {
  let h: QueryHarness;
  let world: World;
  before(async () => {
    h = await startQueryHarness({ hotRetentionMs: DAY });
    world = await seedWorld(h);
  });
  after(() => h.close());

  for (const order of ['desc', 'asc'] as const) {
    for (const limit of [1, 4, 7]) {
      it(`order=${order} limit=${limit}: pages cross from one to the other in order, each event once`, async () => {
        const expected = [...world.hot, ...world.archived]
          .filter((e) => e.tenant === 'acme')
          .sort((a, b) => (order === 'asc' ? 1 : -1) * compareEvents(a, b));
        const got: LogEvent[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const path: string = `/api/v1/search?${range(NOW - 3 * DAY, NOW)}&order=${order}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
          const page: Page = await h.json<Page>(path, 'acme');
          assert.ok(page.hits.length <= limit);
          got.push(...page.hits);
          cursor = page.next_cursor;
        } while (cursor !== null && ++pages < 200);
        assert.deepEqual(
          got.map((e) => e.id),
          expected.map((e) => e.id),
        );
      });
    }
  }

  it('the archive part answers only for the range older than hot retention, with the query applied', async () => {
    const page = await h.json<Page>(
      `/api/v1/search?q=${encodeURIComponent('"nightly export" level:warn')}&${range(NOW - 3 * DAY, NOW)}&limit=100`,
      'globex',
    );
    const expected = world.archived.filter((e) => e.tenant === 'globex' && e.level === 'warn');
    assert.deepEqual(
      page.hits.map((e) => e.id),
      expected.sort((a, b) => compareEvents(b, a)).map((e) => e.id),
    );
    assert.deepEqual(page.total, { value: expected.length, relation: 'eq' });
    // source=hot over the same range reads only the search store, which holds just two stale copies.
    const hot = await h.json<Page>(
      `/api/v1/search?q=nightly&${range(NOW - 3 * DAY, NOW)}&source=hot&tenant=acme`,
      'operator',
    );
    assert.deepEqual(
      hot.hits.map((e) => e.id).sort(),
      world.archived
        .slice(0, 2)
        .map((e) => e.id)
        .sort(),
    );
  });

  it('a range entirely inside hot retention never reads the archive', async () => {
    const page = await h.json<Page>(
      `/api/v1/search?q=nightly&${range(NOW - DAY + 1, NOW)}&tenant=acme`,
      'operator',
    );
    assert.deepEqual(page.hits, []);
  });
});
