import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';

// Smoke test of the local OpenSearch (deploy/local/up): the pieces the search sink relies
// on — an index template with the event mapping, _bulk with our ids, refresh, full-text and
// exact-term search — work on the minimal distribution.

const keyword = { type: 'keyword' } as const;

const events = [
  {
    id: 'e1',
    ts: '2026-11-23T12:00:00.123456789Z',
    level: 'error',
    service: 'checkout',
    message: 'payment gateway timeout after 3000 ms',
  },
  {
    id: 'e2',
    ts: '2026-11-23T12:00:01.000Z',
    level: 'warn',
    service: 'checkout',
    message: 'Retrying payment: upstream TIMEOUT',
  },
  { id: 'e3', ts: '2026-11-23T12:00:02.000Z', level: 'info', service: 'cart', message: 'cart saved' },
].map((event) => ({ ...event, tenant: 'acme', attrs: { 'http.status': 504 } }));

describe('OpenSearch engine (local single node)', () => {
  let iso: Isolation;
  let index: string;

  before(async () => {
    await requireEngines('opensearch');
    iso = isolate('opensearch smoke', ['opensearch']);
    index = `${iso.indexPrefix}-acme-2026.11.23`;
  });

  after(async () => {
    await iso?.cleanup();
  });

  it('accepts an index template mapping message as text and reserved fields as keyword/date', async () => {
    const client = iso.opensearch();
    await client.indices.putIndexTemplate({
      name: `${iso.indexPrefix}-events`,
      body: {
        index_patterns: [`${iso.indexPrefix}-*`],
        template: {
          // One node: replicas could never be assigned.
          settings: { number_of_shards: 1, number_of_replicas: 0 },
          mappings: {
            dynamic: false,
            properties: {
              id: keyword,
              ts: { type: 'date_nanos' },
              level: keyword,
              service: keyword,
              tenant: keyword,
              message: { type: 'text' },
              attrs: { type: 'flat_object' },
            },
          },
        },
      },
    });
    const { body } = await client.indices.getIndexTemplate({ name: `${iso.indexPrefix}-events` });
    assert.equal(body.index_templates.length, 1);
  });

  it('bulk-indexes events under their own ids into an index the template shapes', async () => {
    const client = iso.opensearch();
    const operations = events.flatMap(({ id, ...doc }) => [{ index: { _index: index, _id: id } }, doc]);
    const { body } = await client.bulk({ body: operations, refresh: 'true' });
    assert.equal(body.errors, false, JSON.stringify(body.items));
    const mapping = await client.indices.getMapping({ index });
    const properties = mapping.body[index].mappings.properties as Record<string, { type: string }>;
    assert.equal(properties.message.type, 'text');
    assert.equal(properties.level.type, 'keyword');
    assert.equal(properties.ts.type, 'date_nanos');
  });

  it('finds a word in message case-insensitively (analyzed text)', async () => {
    const { body } = await iso
      .opensearch()
      .search({ index, body: { query: { match: { message: 'timeout' } } } });
    const ids = body.hits.hits.map((hit) => hit._id).sort();
    assert.deepEqual(ids, ['e1', 'e2']);
  });

  it('matches a keyword field exactly (a term, not analyzed)', async () => {
    const client = iso.opensearch();
    const exact = await client.search({ index, body: { query: { term: { level: 'error' } } } });
    assert.deepEqual(
      exact.body.hits.hits.map((hit) => hit._id),
      ['e1'],
    );
    const wrongCase = await client.search({ index, body: { query: { term: { level: 'ERROR' } } } });
    assert.equal(wrongCase.body.hits.hits.length, 0);
  });

  it('combines word, term and a nanosecond time range in one bool query', async () => {
    const { body } = await iso.opensearch().search({
      index,
      body: {
        query: {
          bool: {
            must: [{ match: { message: 'payment' } }],
            filter: [
              { term: { service: 'checkout' } },
              { range: { ts: { lte: '2026-11-23T12:00:00.123456789Z' } } },
            ],
          },
        },
      },
    });
    assert.deepEqual(
      body.hits.hits.map((hit) => hit._id),
      ['e1'],
    );
  });

  it('re-indexing the same ids replaces documents instead of duplicating them', async () => {
    const client = iso.opensearch();
    const operations = events.flatMap(({ id, ...doc }) => [{ index: { _index: index, _id: id } }, doc]);
    await client.bulk({ body: operations, refresh: 'true' });
    const { body } = await client.count({ index });
    assert.equal(body.count, events.length);
  });

  it('cleanup deletes the isolation’s indices and templates', async () => {
    await iso.cleanup();
    const client = iso.opensearch();
    const exists = await client.indices.exists({ index });
    assert.equal(exists.body, false);
    const template = await client.indices.existsIndexTemplate({ name: `${iso.indexPrefix}-events` });
    assert.equal(template.body, false);
  });
});
