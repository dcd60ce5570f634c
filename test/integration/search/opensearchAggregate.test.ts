import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OpenSearchStore } from '../../../backend/engines/search/opensearch/openSearchStore.ts';
import { checkAggregateAgreement } from '../../../core/query/aggregate/random.ts';
import { randomEvent } from '../../../core/query/random.ts';
import { mulberry32 } from '../../../core/random/mulberry32.ts';
import { type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { isolatedStore } from './isolatedStore.ts';

const DAY = 86_400_000;

describe('OpenSearch aggregations agree with the reference', () => {
  let isolation: Isolation;
  let store: OpenSearchStore;

  before(async () => {
    await requireEngines('opensearch');
    isolation = isolate('search-aggregate', ['opensearch']);
    store = isolatedStore(isolation);
    await store.init();
  });

  after(async () => {
    await store?.close();
    await isolation?.cleanup();
  });

  it('answers random stats and top pipes as accumulate.ts does (percentiles within t-digest error)', async () => {
    const rng = mulberry32(5);
    // Half the events a day earlier: two daily indices, two tenants.
    const events = Array.from({ length: 400 }, (_, i) => {
      const event = randomEvent(rng, i);
      if (i % 2 === 1) event.ts = new Date(Date.parse(event.ts) - DAY).toISOString();
      return event;
    });
    assert.deepEqual((await store.index(events)).rejected, []);
    await store.refresh();
    const { failures, nonEmpty } = await checkAggregateAgreement({
      events,
      rng,
      runs: 100,
      approximatePercentiles: true,
      aggregate: (query, range, plan) => store.aggregate({ tenant: null, query, range, plan }),
    });
    assert.deepEqual(failures, []);
    assert.ok(nonEmpty > 40, `only ${nonEmpty} answers had rows`);
  });
});
