import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { event, T0 } from '../../../backend/engines/search/contract/contractEvents.ts';
import { SearchUnavailableError } from '../../../backend/engines/search/opensearch/client.ts';
import {
  type OpenSearchStore,
  openOpenSearchStore,
} from '../../../backend/engines/search/opensearch/openSearchStore.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { parseQuery } from '../../../core/query/index.ts';
import { type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { isolatedStore } from './isolatedStore.ts';

const range = { from: T0 - 86_400_000, to: T0 + 86_400_000 };

describe('OpenSearch store: indexing', () => {
  let isolation: Isolation;
  let store: OpenSearchStore;

  before(async () => {
    await requireEngines('opensearch');
    isolation = isolate('search-indexing', ['opensearch']);
    store = isolatedStore(isolation, {
      bulk: { maxRequestBytes: 256 * 1024, concurrency: 3 },
      // Mid-day, so no index of tomorrow is created ahead (see the test for that).
      clock: () => T0,
    });
    await store.init();
  });

  after(async () => {
    await store?.close();
    await isolation?.cleanup();
  });

  it('creates one index per tenant per day, tenant names encoded', async () => {
    await store.index([
      event('n1', 'acme', T0),
      event('n2', 'Acme-Corp', T0),
      event('n3', 'acme', T0 + 86_400_000),
    ]);
    const { body } = await isolation.opensearch().transport.request({
      method: 'GET',
      path: `/_cat/indices/${isolation.indexPrefix}-*`,
      querystring: { format: 'json', h: 'index' },
    });
    const names = (body as Array<{ index: string }>)
      .map((row) => row.index.slice(isolation.indexPrefix.length + 1))
      .sort();
    assert.deepEqual(names, ['_41_cme_2d__43_orp-2026.11.23', 'acme-2026.11.23', 'acme-2026.11.24']);
  });

  it("creates tomorrow's index ahead in the day's last hour, for each tenant being written", async () => {
    const late = isolatedStore(isolation, {
      clock: () => Date.UTC(2026, 10, 23, 23, 30),
    });
    try {
      await late.index([event('late-1', 'early-bird', T0), event('late-2', 'early-bird', T0)]);
      const tomorrow = `${isolation.indexPrefix}-early_2d_bird-2026.11.24`;
      const client = isolation.opensearch();
      await waitFor(
        `${tomorrow} to exist before any event of that day`,
        async () => (await client.indices.exists({ index: tomorrow })).body === true,
        { intervalMs: 100 }, // no event of that day is ever written: whenever it appears, it was made ahead
      );
      const settings = await client.indices.getMapping({ index: tomorrow });
      assert.ok(JSON.stringify(settings.body).includes('tiebreak'), 'made from the index template');
    } finally {
      await late.close();
    }
  });

  it('stops a search whose caller has given up', async () => {
    const request = { tenant: 'acme', range, limit: 10, order: 'desc' as const };
    await assert.rejects(store.search({ ...request, signal: AbortSignal.abort() }), /abort/i);
    const controller = new AbortController();
    const pending = store.search({ ...request, signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, /abort/i);
    assert.equal(
      typeof (await store.search(request)).total.value,
      'number',
      'the store still answers others',
    );
  });

  it("returns events OpenSearch refuses in rejected, with OpenSearch's reason, and indexes the rest", async () => {
    const broken = { ...event('bad-map', 'rej', T0), service: { nested: 'object' } } as unknown as LogEvent;
    const ancient = event('bad-ts', 'rej', Date.UTC(1969, 11, 31));
    const result = await store.index([event('good', 'rej', T0), broken, ancient]);
    assert.equal(result.indexed, 1);
    const reasons = new Map(result.rejected.map((r) => [r.event.id, r.reason]));
    assert.match(reasons.get('bad-map') ?? '', /^400 .*pars/);
    assert.match(reasons.get('bad-ts') ?? '', /date_nanos/);
  });

  it('keeps the mapping fixed whatever attribute names events carry', async () => {
    const client = isolation.opensearch();
    const events = Array.from({ length: 300 }, (_, i) =>
      event(`wide-${i}`, 'wide', T0, {
        attrs: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`attr.${i}.${k}`, k])),
      }),
    );
    const result = await store.index(events);
    assert.deepEqual(result.rejected, []);
    await store.refresh();
    const { body } = await client.indices.getMapping({ index: `${isolation.indexPrefix}-wide-*` });
    const mapping = Object.values(
      body as Record<string, { mappings: { properties: Record<string, unknown> } }>,
    )[0];
    assert.deepEqual(Object.keys(mapping.mappings.properties).sort(), [
      'attrs',
      'correlation_id',
      'env',
      'host',
      'id',
      'level',
      'observed_ts',
      'search',
      'service',
      'span_id',
      'tenant',
      'trace_id',
    ]);
    const page = await store.search({
      tenant: 'wide',
      range,
      limit: 5,
      order: 'asc',
      query: parseQuery('attr.7.3>=3'),
    });
    assert.deepEqual(
      page.hits.map((hit) => hit.id),
      ['wide-7'],
    );
  });

  it('indexes a batch larger than one request through several concurrent requests', async () => {
    const events = Array.from({ length: 4000 }, (_, i) =>
      event(`many-${i}`, 'many', T0 + i, { message: `message number ${i} ${'x'.repeat(200)}` }),
    );
    const result = await store.index(events);
    assert.deepEqual(result, { indexed: 4000, rejected: [] });
    await store.refresh();
    const page = await store.search({ tenant: 'many', range, limit: 1, order: 'desc', totalBound: 100_000 });
    assert.deepEqual(page.total, { value: 4000, relation: 'eq' });
    assert.equal(page.hits[0].id, 'many-3999');
  });

  it('gives up with SearchUnavailableError when OpenSearch cannot be reached, after bounded retries', async () => {
    const unreachable = openOpenSearchStore({
      nodes: ['http://127.0.0.1:9'],
      indexPrefix: isolation.indexPrefix,
      shards: 1,
      replicas: 0,
      log: silentLogger,
      bulk: { maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 5 },
    });
    try {
      await assert.rejects(unreachable.index([event('x', 'down', T0)]), SearchUnavailableError);
      await assert.rejects(
        unreachable.search({ tenant: 'down', range, limit: 1, order: 'asc' }),
        SearchUnavailableError,
      );
    } finally {
      await unreachable.close();
    }
  });
});
