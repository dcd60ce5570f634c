import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { SearchPage, SearchRequest, SearchStore } from '../../../../core/ports/searchStore.ts';
import { evaluate, parseQuery, QueryError } from '../../../../core/query/index.ts';
import {
  ALL_2026,
  DAY,
  event,
  HOSTILE_QUERIES,
  HOUR,
  iso,
  T0,
  WORD_QUERIES,
  WORDS,
  WORDS_TENANT,
} from './contractEvents.ts';

/** What a contract run needs from an adapter: the store, a way to make writes visible, teardown. */
export interface OpenedStore {
  store: SearchStore;
  /** Makes everything indexed so far searchable (OpenSearch: refresh; SQLite: nothing to do). */
  settle(): Promise<void>;
  cleanup(): Promise<void>;
}

const NOW = T0 + HOUR;

function ids(hits: readonly LogEvent[]): string[] {
  return hits.map((hit) => hit.id);
}

/**
 * Behaviour every SearchStore adapter must have, run against the real engine (a SQLite directory,
 * an OpenSearch cluster) so the two stay interchangeable behind the port.
 */
export function runSearchStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`SearchStore contract: ${name}`, () => {
    let store: SearchStore;
    let settle: () => Promise<void>;
    let cleanup: () => Promise<void>;

    const search = (request: Partial<SearchRequest> & { tenant: string | null }): Promise<SearchPage> =>
      store.search({ range: ALL_2026, limit: 100, order: 'asc', ...request });
    const query = (text: string) => parseQuery(text, { nowMs: NOW });
    async function indexAll(events: LogEvent[]): Promise<void> {
      const result = await store.index(events);
      assert.deepEqual(result.rejected, []);
      await settle();
    }

    before(async () => {
      ({ store, settle, cleanup } = await open());
      await store.init();
      await store.init(); // creating templates and tables is idempotent
      await indexAll(WORDS);
    });

    after(async () => {
      // Guarded: when open() failed (engine down), that failure is the one to read.
      await store?.close();
      await cleanup?.();
    });

    it('returns hits as the exact events indexed', async () => {
      const page = await search({ tenant: WORDS_TENANT });
      assert.deepEqual(page.hits, WORDS);
    });

    it('indexes idempotently: the same id twice, in one batch or two, is one hit', async () => {
      const once = event('dup-1', 'idem', T0, { message: 'duplicate me' });
      await store.index([once, once]);
      await store.index([once]);
      await settle();
      const page = await search({ tenant: 'idem', query: query('duplicate') });
      assert.deepEqual(ids(page.hits), ['dup-1']);
      assert.deepEqual(page.total, { value: 1, relation: 'eq' });
    });

    it('returns an event it cannot store in rejected and indexes the rest of the batch', async () => {
      const good = event('rej-ok', 'reject', T0);
      const bad = { ...event('rej-bad', 'reject', T0), ts: 'not a time' };
      const result = await store.index([good, bad]);
      assert.equal(result.indexed, 1);
      assert.deepEqual(
        result.rejected.map((r) => r.event.id),
        ['rej-bad'],
      );
      assert.ok(result.rejected[0].reason.length > 0);
      await settle();
      assert.deepEqual(ids((await search({ tenant: 'reject' })).hits), ['rej-ok']);
    });

    it('finds words, phrases, prefixes, fields, level ranges and attributes exactly as evaluate does', async () => {
      for (const [text, expected] of WORD_QUERIES) {
        const ast = query(text);
        assert.deepEqual(ids(WORDS.filter((e) => evaluate(ast, e))), expected, `fixture of ${text}`);
        const page = await search({ tenant: WORDS_TENANT, query: ast });
        assert.deepEqual(ids(page.hits), expected, text);
      }
    });

    it('answers hostile query text with results or a query error, never an engine error or a wider scope', async () => {
      for (const text of HOSTILE_QUERIES) {
        let ast: ReturnType<typeof query>;
        try {
          ast = query(text);
        } catch (error) {
          assert.ok(error instanceof QueryError, `${text.slice(0, 40)}: ${error}`);
          continue;
        }
        try {
          const page = await search({ tenant: WORDS_TENANT, query: ast });
          assert.deepEqual(ids(page.hits), ids(WORDS.filter((e) => evaluate(ast, e))), text.slice(0, 60));
        } catch (error) {
          assert.ok(error instanceof QueryError, `${text.slice(0, 40)}: ${error}`);
        }
      }
    });

    it('keeps tenants apart: a tenant sees only its events, null sees every tenant', async () => {
      await indexAll([
        event('ta-1', 'iso-a', T0, { message: 'shared words' }),
        event('tb-1', 'iso-b', T0, { message: 'shared words' }),
      ]);
      assert.deepEqual(ids((await search({ tenant: 'iso-a', query: query('shared') })).hits), ['ta-1']);
      assert.deepEqual(ids((await search({ tenant: 'iso-b', query: query('shared') })).hits), ['tb-1']);
      assert.deepEqual(ids((await search({ tenant: 'iso-a', query: query('tenant:iso-b') })).hits), []);
      assert.deepEqual(ids((await search({ tenant: 'iso', query: query('shared') })).hits), []);
      const all = await search({ tenant: null, query: query('shared') });
      assert.deepEqual(ids(all.hits).sort(), ['ta-1', 'tb-1']);
    });

    it('keeps a scoped key to its services; an empty scope sees nothing', async () => {
      const scoped = await search({ tenant: WORDS_TENANT, services: ['payments', 'api'] });
      assert.deepEqual(ids(scoped.hits), ['w2', 'w4']);
      assert.deepEqual((await search({ tenant: WORDS_TENANT, services: [] })).hits, []);
      const both = await search({ tenant: WORDS_TENANT, services: ['payments'], query: query('timeout') });
      assert.deepEqual(ids(both.hits), ['w2']);
    });

    it('takes [from, to) at millisecond resolution, across days', async () => {
      const at = Date.UTC(2026, 10, 20, 23, 59, 59, 999);
      await indexAll([
        event('r-before', 'range', at - 1),
        { ...event('r-from', 'range', at), ts: `${iso(at).slice(0, 23)}999999Z` },
        event('r-inside', 'range', at + 1),
        event('r-to', 'range', at + 2),
      ]);
      const page = await search({ tenant: 'range', range: { from: at, to: at + 2 } });
      assert.deepEqual(ids(page.hits), ['r-from', 'r-inside']);
      assert.deepEqual((await search({ tenant: 'range', range: { from: at + 2, to: at + 2 } })).hits, []);
      const viaQuery = await search({ tenant: 'range', query: query(`ts>${iso(at)} ts<=${iso(at + 1)}`) });
      assert.deepEqual(ids(viaQuery.hits), ['r-inside']);
    });

    it('orders by time, events of equal time in one fixed order, descending the exact reverse', async () => {
      const events = [
        event('o-c', 'order', T0 - 2 * DAY),
        event('o-b', 'order', T0),
        event('o-a', 'order', T0),
        event('o-d', 'order', T0 + 5),
        event('o-e', 'order', T0 + DAY),
      ];
      await indexAll(events);
      // Ties are ordered by each store's own unique key (SQLite: id; OpenSearch: a hash of the id, then id).
      const asc = ids((await search({ tenant: 'order' })).hits);
      assert.equal(asc[0], 'o-c');
      assert.deepEqual(asc.slice(1, 3).sort(), ['o-a', 'o-b']);
      assert.deepEqual(asc.slice(3), ['o-d', 'o-e']);
      assert.deepEqual(ids((await search({ tenant: 'order' })).hits), asc, 'the same order every time');
      assert.deepEqual(ids((await search({ tenant: 'order', order: 'desc' })).hits), asc.slice().reverse());
    });

    for (const order of ['asc', 'desc'] as const) {
      it(`pages with cursors (${order}), every hit exactly once while new events arrive`, async () => {
        const tenant = `pages-${order}`;
        const original = Array.from({ length: 57 }, (_, i) =>
          event(`p-${order}-${String(i).padStart(2, '0')}`, tenant, T0 - DAY + Math.floor(i / 2) * 3 * HOUR),
        );
        await indexAll(original);
        const seen: string[] = [];
        let cursor: SearchPage['next'] = null;
        let pages = 0;
        do {
          const page: SearchPage = await search({ tenant, order, limit: 10, after: cursor ?? undefined });
          seen.push(...ids(page.hits));
          cursor = page.next;
          pages++;
          // Newcomers on both sides of the cursor: before it they must not show up twice or shift
          // the page boundary; after it they may appear, once.
          await indexAll([
            event(`new-${order}-${pages}-early`, tenant, T0 - 2 * DAY + pages),
            event(`new-${order}-${pages}-late`, tenant, T0 + 2 * DAY + pages),
          ]);
        } while (cursor !== null && pages < 30);
        assert.equal(new Set(seen).size, seen.length, 'no hit repeats');
        const originals = seen.filter((id) => id.startsWith('p-'));
        assert.deepEqual(originals.slice().sort(), ids(original).sort());
        // Pairs share a time: the pages follow the order one big page has.
        const whole = await search({ tenant, order, limit: 500 });
        assert.deepEqual(
          originals,
          ids(whole.hits).filter((id) => id.startsWith('p-')),
        );
        const byPair = (id: string) => Math.floor(Number(id.slice(-2)) / 2);
        const pairs = originals.map(byPair);
        assert.deepEqual(
          pairs,
          pairs.slice().sort((a, b) => (order === 'asc' ? a - b : b - a)),
        );
        assert.ok(pages >= 6, `paged ${pages} times`);
      });
    }

    it('pages an admin search (tenant null) through every tenant in one order, each hit once', async () => {
      const events = Array.from({ length: 20 }, (_, i) =>
        event(`mix-${String(i).padStart(2, '0')}`, i % 2 === 0 ? 'mix-a' : 'mix-b', T0 + Math.floor(i / 4), {
          message: 'interleaved',
        }),
      );
      await indexAll(events);
      const seen: string[] = [];
      let after: SearchPage['next'] = null;
      do {
        const page: SearchPage = await search({
          tenant: null,
          query: query('interleaved'),
          limit: 3,
          order: 'desc',
          after: after ?? undefined,
        });
        seen.push(...ids(page.hits));
        after = page.next;
      } while (after !== null);
      // Four events share each time: whatever their order among themselves, it is the one big page's.
      const whole = await search({ tenant: null, query: query('interleaved'), limit: 100, order: 'desc' });
      assert.deepEqual(seen, ids(whole.hits));
      assert.deepEqual(seen.slice().sort(), ids(events).sort());
      const groups = seen.map((id) => Math.floor(Number(id.slice(-2)) / 4));
      assert.deepEqual(
        groups,
        groups.slice().sort((a, b) => b - a),
      );
    });

    it('counts totals exactly up to the bound, then reports a lower bound', async () => {
      await indexAll(
        Array.from({ length: 25 }, (_, i) =>
          event(`tot-${i}`, 'totals', T0 + i, { level: i < 5 ? 'error' : 'info' }),
        ),
      );
      const total = async (totalBound: number, q?: string) =>
        (
          await search({
            tenant: 'totals',
            totalBound,
            limit: 3,
            query: q === undefined ? undefined : query(q),
          })
        ).total;
      assert.deepEqual(await total(100), { value: 25, relation: 'eq' });
      assert.deepEqual(await total(25), { value: 25, relation: 'eq' });
      assert.deepEqual(await total(24), { value: 24, relation: 'gte' });
      assert.deepEqual(await total(10), { value: 10, relation: 'gte' });
      assert.deepEqual(await total(10, 'level:error'), { value: 5, relation: 'eq' });
      const page = await search({ tenant: 'totals', limit: 0 });
      assert.deepEqual(page.hits, []);
      assert.equal(page.total.value, 25);
    });

    it('traces one correlation id across services and days, ascending, within the tenant', async () => {
      const midnight = Date.UTC(2026, 10, 22);
      await indexAll([
        event('tr-3', 'trace', midnight + 5, { service: 'payments', correlation_id: 'c-1', level: 'error' }),
        event('tr-1', 'trace', midnight - 10, { service: 'gateway', correlation_id: 'c-1' }),
        event('tr-2', 'trace', midnight - 5, { service: 'checkout', correlation_id: 'c-1' }),
        event('tr-4', 'trace', midnight + 9, { service: 'gateway', correlation_id: 'c-1' }),
        event('tr-other', 'trace', midnight, { service: 'gateway', correlation_id: 'c-2' }),
        event('tr-none', 'trace', midnight, { service: 'gateway' }),
        event('tr-elsewhere', 'trace-b', midnight, { service: 'gateway', correlation_id: 'c-1' }),
      ]);
      assert.deepEqual(ids(await store.trace('trace', 'c-1', ALL_2026, 100)), [
        'tr-1',
        'tr-2',
        'tr-3',
        'tr-4',
      ]);
      assert.deepEqual(ids(await store.trace('trace', 'c-1', ALL_2026, 2)), ['tr-1', 'tr-2']);
      assert.deepEqual(ids(await store.trace('trace', 'c-1', ALL_2026, 100, ['gateway'])), ['tr-1', 'tr-4']);
      const window = { from: midnight - 5, to: midnight + 9 };
      assert.deepEqual(ids(await store.trace('trace', 'c-1', window, 100)), ['tr-2', 'tr-3']);
      assert.deepEqual(ids(await store.trace(null, 'c-1', ALL_2026, 100)), [
        'tr-1',
        'tr-2',
        'tr-elsewhere',
        'tr-3',
        'tr-4',
      ]);
      assert.deepEqual(await store.trace('trace', 'c-9', ALL_2026, 100), []);
    });

    it('drops whole days before the cut-off, per tenant or sparing tenants, and a dry run drops nothing', async () => {
      const day = (d: number) => Date.UTC(2025, 2, d, 12);
      const old = [1, 2, 3].flatMap((d) => [
        event(`d-${d}`, 'drop', day(d), { message: 'retention' }),
        event(`d2-${d}`, 'drop-2', day(d), { message: 'retention' }),
      ]);
      await indexAll(old);
      const retained = async () =>
        ids(
          (
            await search({
              tenant: null,
              range: { from: day(1) - DAY, to: day(3) + DAY },
              query: query('retention'),
            })
          ).hits,
        ).sort(); // what is kept matters here, not the order of events sharing a time
      const days = (list: string[]) =>
        [1, 2, 3].filter((d) => list.some((item) => item.replaceAll('.', '-').includes(`2025-03-0${d}`)));

      const planned = await store.dropBefore(Date.UTC(2025, 2, 3), { dryRun: true });
      assert.deepEqual([planned.length, days(planned)], [4, [1, 2]], planned.join());
      assert.deepEqual(await retained(), ids(old).sort());

      const dropped = await store.dropBefore(Date.UTC(2025, 2, 3), { exceptTenants: ['drop-2'] });
      assert.deepEqual([dropped.length, days(dropped)], [2, [1, 2]], dropped.join());
      await settle();
      assert.deepEqual(await retained(), ['d-3', 'd2-1', 'd2-2', 'd2-3']);
      assert.deepEqual(await store.dropBefore(Date.UTC(2025, 2, 3), { exceptTenants: ['drop-2'] }), []);

      const tenantPlan = await store.dropBefore(Date.UTC(2025, 2, 4), { tenant: 'drop-2', dryRun: true });
      assert.deepEqual([tenantPlan.length, days(tenantPlan)], [3, [1, 2, 3]], tenantPlan.join());
      assert.deepEqual(await retained(), ['d-3', 'd2-1', 'd2-2', 'd2-3']);
      await store.dropBefore(Date.UTC(2025, 2, 4), { tenant: 'drop-2' });
      await settle();
      assert.deepEqual(await retained(), ['d-3']);
      // Nothing of 2026 was before the cut-offs.
      assert.deepEqual(ids((await search({ tenant: WORDS_TENANT })).hits), ids(WORDS));
    });
  });
}
