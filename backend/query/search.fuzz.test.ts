import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LogEvent } from '../../core/event/types.ts';
import { FUZZ_BUDGET, queryText } from '../../core/query/testing/queryArbitrary.ts';
import { type KeyName, type QueryHarness, startQueryHarness } from './testing/queryHarness.ts';
import { seedWorld, visibleTo } from './testing/world.ts';

const hostileParam = fc.oneof(
  fc.constant(undefined),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('acme', 'globex', 'ops', 'now-1h', 'now-31d', '0001-01-01T00:00:00Z', '-1', '1e999', 'NaN'),
);

describe('search route under fuzzing (fast-check): q, tenant, from, to, limit, cursor, source', () => {
  let h: QueryHarness;
  before(async () => {
    h = await startQueryHarness();
    await seedWorld(h);
  });
  after(() => h.close());

  it('never answers 5xx, and never returns another tenant’s (or service’s) events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<KeyName>('acme', 'acmeWeb', 'globex', 'acmeAdmin'),
        queryText,
        fc.record({
          tenant: hostileParam,
          from: hostileParam,
          to: hostileParam,
          limit: hostileParam,
          cursor: hostileParam,
          source: hostileParam,
          order: hostileParam,
        }),
        async (key, q, params) => {
          const search = new URLSearchParams({ q });
          for (const [name, value] of Object.entries(params))
            if (value !== undefined) search.set(name, value);
          const res = await h.get(`/api/v1/search?${search}`, key);
          const body = (await res.json()) as { hits?: LogEvent[]; error?: { code: string } };
          assert.ok(res.status < 500, `${res.status} ${JSON.stringify(body)} for ${search}`);
          if (res.status === 200) {
            const visible = visibleTo(key, params.tenant);
            for (const hit of body.hits ?? [])
              assert.ok(visible(hit), `${key} got ${hit.tenant}/${hit.service}`);
          } else {
            assert.ok(body.error?.code, 'an error answer has a code');
          }
        },
      ),
      { ...FUZZ_BUDGET, interruptAfterTimeLimit: 4000 },
    );
    assert.equal((await h.get('/api/v1/search', 'acme')).status, 200, 'healthy after');
  });
});
