import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OpenSearchStore } from '../../../backend/engines/search/opensearch/openSearchStore.ts';
import { evaluate } from '../../../core/query/index.ts';
import { RANDOM_NOW_MS, randomEvent, randomQuery } from '../../../core/query/random.ts';
import { mulberry32 } from '../../../core/random/mulberry32.ts';
import { type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { isolatedStore } from './isolatedStore.ts';

describe('OpenSearch compiler agrees with evaluate', () => {
  let isolation: Isolation;
  let store: OpenSearchStore;

  before(async () => {
    await requireEngines('opensearch');
    isolation = isolate('search-agreement', ['opensearch']);
    store = isolatedStore(isolation);
    await store.init();
  });

  after(async () => {
    await store?.close();
    await isolation?.cleanup();
  });

  it('selects exactly the events evaluate accepts, for random queries over random events', async () => {
    const rng = mulberry32(7);
    const events = Array.from({ length: 300 }, (_, i) => randomEvent(rng, i));
    const result = await store.index(events);
    assert.deepEqual(result.rejected, []);
    await store.refresh();
    const range = { from: RANDOM_NOW_MS - 3 * 3_600_000, to: RANDOM_NOW_MS + 3_600_000 };
    let split = 0;
    for (let q = 0; q < 200; q++) {
      const { ast, text } = randomQuery(rng, 3);
      const expected = events
        .filter((event) => evaluate(ast, event))
        .map((event) => event.id)
        .sort();
      const page = await store.search({ tenant: null, query: ast, range, limit: 1000, order: 'asc' });
      assert.deepEqual(page.hits.map((hit) => hit.id).sort(), expected, text);
      assert.deepEqual(page.total, { value: expected.length, relation: 'eq' }, text);
      if (expected.length > 0 && expected.length < events.length) split++;
    }
    // Many queries must select some but not all events, or agreement proves little.
    assert.ok(split > 60, `only ${split} queries selected some but not all events`);
  });
});
