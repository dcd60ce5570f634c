import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../core/event/types.ts';
import { compareEvents } from './archiveSearch.ts';
import { encodeCursor } from './cursor.ts';
import {
  DAY,
  ENRICHED,
  event,
  HOUR,
  KEYS,
  type KeyName,
  NOW,
  type QueryHarness,
  range,
  startQueryHarness,
} from './testing/queryHarness.ts';
import { openTail } from './testing/sse.ts';
import { ids, seedWorld, visibleTo, type World } from './testing/world.ts';

interface SearchBody {
  hits: LogEvent[];
  total: { value: number; relation: string };
  next_cursor: string | null;
}
interface TraceBody {
  correlation_id: string;
  events: LogEvent[];
  services: Array<{ service: string; count: number; errors: number }>;
}
interface MetricsBody {
  name: string;
  step: number;
  series: Array<{ labels: Record<string, string>; points: Array<[number, number | null]> }>;
}

/** Every caller that may read, with and without `tenant=`. */
const READERS: Array<{ key: KeyName; tenant?: string }> = [
  { key: 'acme' },
  { key: 'acme', tenant: 'acme' },
  { key: 'acmeWeb' },
  { key: 'globex' },
  { key: 'acmeAdmin' },
  { key: 'acmeAdmin', tenant: 'acme' },
  { key: 'operator' },
  { key: 'operator', tenant: 'globex' },
  { key: 'operator', tenant: 'acme' },
];
const label = (r: { key: KeyName; tenant?: string }) => `${r.key}${r.tenant ? ` tenant=${r.tenant}` : ''}`;
const withTenant = (path: string, tenant?: string) =>
  tenant === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}tenant=${tenant}`;

const WIDE = range(NOW - 3 * DAY, NOW);
const RECENT = range(NOW - HOUR, NOW);

describe('query API: tenancy and auth over every route', () => {
  let h: QueryHarness;
  let world: World;
  let all: LogEvent[];
  let validCursor: string;

  before(async () => {
    h = await startQueryHarness();
    world = await seedWorld(h);
    all = [...world.hot, ...world.archived];
    const first = await h.json<SearchBody>(`/api/v1/search?${RECENT}&limit=2`, 'acme');
    validCursor = first.next_cursor as string;
  });
  after(() => h.close());

  const routes = () => [
    `/api/v1/search?q=timeout&${RECENT}`,
    `/api/v1/search?${WIDE}&source=archive`,
    `/api/v1/search?${RECENT}&limit=2&cursor=${validCursor}`,
    `/api/v1/trace/corr-shared?${WIDE}`,
    '/api/v1/tail',
    `/api/v1/metrics?name=log_count&${RECENT}`,
    `/api/v1/metrics?name=error_rate&${RECENT}`,
    `/api/v1/context/${world.hot[0].id}?ts=${encodeURIComponent(world.hot[0].ts)}`,
  ];

  it('answers 401 without a key and with an unknown key, 403 for an ingest-only key, on every route', async () => {
    for (const path of routes()) {
      const cases: Array<[KeyName | null | { raw: string }, number, string]> = [
        [null, 401, 'missing_key'],
        [{ raw: 'not-a-key' }, 401, 'invalid_key'],
        [{ raw: `${KEYS.operator}x` }, 401, 'invalid_key'],
        ['ingest', 403, 'forbidden'],
      ];
      for (const [key, status, code] of cases) {
        const res = await h.get(path, key);
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(res.status, status, `${path} with ${JSON.stringify(key)}`);
        assert.equal(body.error.code, code, path);
        assert.ok(body.error.message.length > 0);
      }
    }
  });

  it('answers 400 bad_tenant for a tenant= that is no tenant name (CR/LF, upper case), on every route', async () => {
    for (const path of routes()) {
      for (const tenant of ['x%0d%0aSet-Cookie:%20a=b', 'ACME', '..%2Facme', '%00']) {
        for (const key of ['acme', 'operator'] as const) {
          const res = await h.get(withTenant(path, tenant), key);
          assert.equal(res.status, 400, `${path} tenant=${tenant} as ${key}`);
          assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'bad_tenant');
        }
      }
    }
  });

  it('answers 403 when a tenant key names another tenant with tenant=, admin keys included, on every route', async () => {
    for (const path of routes()) {
      for (const key of ['acme', 'acmeWeb', 'acmeAdmin'] as const) {
        const res = await h.get(withTenant(path, 'globex'), key);
        assert.equal(res.status, 403, `${path} as ${key}`);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'forbidden');
      }
      const res = await h.get(withTenant(path, 'acme'), 'globex');
      assert.equal(res.status, 403, path);
      await res.body?.cancel();
    }
  });

  for (const source of ['hot', 'auto', 'archive'] as const) {
    it(`search source=${source} returns exactly each caller's events`, async () => {
      for (const reader of READERS) {
        const body = await h.json<SearchBody>(
          withTenant(`/api/v1/search?${WIDE}&limit=1000&source=${source}`, reader.tenant),
          reader.key,
        );
        const inSource = (e: LogEvent) => {
          const old = Date.parse(e.ts) < NOW - DAY;
          // source=hot reads the search store over the whole range (it still holds two stale old events).
          if (source === 'hot') return world.hot.includes(e) || world.archived.slice(0, 2).includes(e);
          return source === 'archive' ? old && world.archived.includes(e) : true;
        };
        const expected = all.filter((e) => inSource(e) && visibleTo(reader.key, reader.tenant)(e));
        assert.ok(expected.length > 0);
        assert.deepEqual(ids(body.hits), ids(expected), `${label(reader)}: hits`);
        assert.equal(new Set(body.hits.map((e) => e.id)).size, body.hits.length, 'no duplicates');
        assert.equal(body.next_cursor, null);
      }
    });
  }

  it('never widens scope through the query text', async () => {
    const q = encodeURIComponent('tenant:globex OR tenant:acme OR service:api OR service:web OR *');
    for (const reader of READERS) {
      const body = await h.json<SearchBody>(
        withTenant(`/api/v1/search?q=${q}&${WIDE}&limit=1000`, reader.tenant),
        reader.key,
      );
      assert.deepEqual(ids(body.hits), ids(all.filter(visibleTo(reader.key, reader.tenant))), label(reader));
    }
    const other = await h.json<SearchBody>(`/api/v1/search?q=tenant:globex&${WIDE}`, 'acme');
    assert.deepEqual(other.hits, []);
  });

  it("a cursor taken from another tenant's page moves only within the caller's own events", async () => {
    const globexPage = await h.json<SearchBody>(`/api/v1/search?${RECENT}&limit=3&tenant=globex`, 'operator');
    assert.ok(globexPage.hits.every((e) => e.tenant === 'globex'));
    const position = globexPage.hits.at(-1) as LogEvent;
    for (const reader of [{ key: 'acme' as const }, { key: 'acmeWeb' as const }]) {
      const body = await h.json<SearchBody>(
        `/api/v1/search?${RECENT}&limit=1000&cursor=${globexPage.next_cursor}`,
        reader.key,
      );
      const expected = world.hot.filter(visibleTo(reader.key)).filter((e) => compareEvents(e, position) < 0);
      assert.ok(expected.length > 0);
      assert.deepEqual(ids(body.hits), ids(expected), reader.key);
    }
    // Forged by hand, pointing into the archive phase at a globex event: still only acme's archive.
    const oldGlobex = world.archived.find((e) => e.tenant === 'globex') as LogEvent;
    const forged = encodeCursor({ phase: 'archive', after: { ts: oldGlobex.ts, id: oldGlobex.id } });
    const body = await h.json<SearchBody>(`/api/v1/search?${WIDE}&limit=1000&cursor=${forged}`, 'acme');
    assert.ok(body.hits.length > 0);
    assert.deepEqual(
      ids(body.hits),
      ids(world.archived.filter((e) => e.tenant === 'acme' && compareEvents(e, oldGlobex) < 0)),
    );
  });

  it('trace returns only the caller’s events of a correlation ID both tenants use, hot and archived', async () => {
    for (const id of ['corr-shared', 'corr-old']) {
      for (const reader of READERS) {
        const expected = all
          .filter((e) => e.correlation_id === id && visibleTo(reader.key, reader.tenant)(e))
          .sort(compareEvents);
        const res = await h.get(withTenant(`/api/v1/trace/${id}?${WIDE}`, reader.tenant), reader.key);
        const body = (await res.json()) as TraceBody;
        assert.equal(res.status, 200, `${id} ${label(reader)}: ${JSON.stringify(body)}`);
        assert.deepEqual(
          body.events.map((e) => e.id),
          expected.map((e) => e.id),
          `${id} ${label(reader)}`,
        );
        assert.deepEqual(
          body.services.map((s) => s.service).sort(),
          [...new Set(expected.map((e) => e.service))].sort(),
        );
      }
    }
  });

  it("answers 404 for another tenant's correlation ID, as if it did not exist", async () => {
    const res = await h.get(`/api/v1/trace/corr-globex-0?${WIDE}`, 'acme');
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'trace_not_found');
    const own = await h.json<TraceBody>(`/api/v1/trace/corr-globex-0?${WIDE}`, 'globex');
    assert.ok(own.events.length > 0 && own.events.every((e) => e.tenant === 'globex'));
    const scoped = await h.get(`/api/v1/trace/corr-acme-0?${WIDE}`, 'acmeWeb');
    const scopedBody = (await scoped.json()) as TraceBody;
    assert.deepEqual(
      scopedBody.events.map((e) => e.service),
      ['web'],
      'the web-scoped key sees the web event of an acme request only',
    );
  });

  it('metrics carry only the caller’s series, with values summed from its own points', async () => {
    for (const reader of READERS) {
      const visible = visibleTo(reader.key, reader.tenant);
      const body = await h.json<MetricsBody>(
        withTenant(`/api/v1/metrics?name=log_count&${RECENT}&step=10m`, reader.tenant),
        reader.key,
      );
      const expectedSeries = new Map<string, number>();
      for (const p of world.points) {
        if (p.name !== 'log_count' || !visible({ tenant: p.labels.tenant, service: p.labels.service }))
          continue;
        const k = `${p.labels.tenant}/${p.labels.service}`;
        expectedSeries.set(k, (expectedSeries.get(k) ?? 0) + p.value);
      }
      const got = new Map(
        body.series.map((s) => [
          `${s.labels.tenant}/${s.labels.service}`,
          s.points.reduce((sum, [, v]) => sum + (v ?? 0), 0),
        ]),
      );
      assert.deepEqual(got, expectedSeries, label(reader));
      assert.ok(body.series.every((s) => s.labels.partition === undefined));
    }
  });

  it('metrics: a scoped key asking for a service outside its scope gets 403; a name shared across tenants stays in the tenant', async () => {
    const res = await h.get(`/api/v1/metrics?name=log_count&service=api&${RECENT}`, 'acmeWeb');
    assert.equal(res.status, 403);
    await res.body?.cancel();
    const web = await h.json<MetricsBody>(`/api/v1/metrics?name=log_count&service=web&${RECENT}`, 'acme');
    assert.deepEqual(
      web.series.map((s) => s.labels),
      [{ service: 'web', tenant: 'acme' }],
    );
  });

  it('tail streams each caller only its events, including operators narrowed with tenant=', async () => {
    const readers = READERS.map((r) => ({ ...r }));
    const tails = await Promise.all(
      readers.map((r) =>
        openTail(withTenant(`${h.url}/api/v1/tail`, r.tenant), { authorization: `Bearer ${KEYS[r.key]}` }),
      ),
    );
    try {
      for (const t of tails) assert.equal(t.status, 200);
      const admin = tails[readers.findIndex((r) => r.key === 'operator' && r.tenant === undefined)];
      // The hub starts at the end of the log: warm up until the operator stream sees a marker, so every
      // subscriber is live before the events under test are produced.
      let warm = 0;
      while (!admin.events.some((e) => e.tenant === 'warmup')) {
        await produce(h, [event('warmup', 'probe', NOW, `warm ${warm++}`)]);
        await admin.until((events) => events.some((e) => e.tenant === 'warmup'), 500).catch(() => undefined);
      }
      const fresh = [
        event('acme', 'web', NOW, 'live acme web'),
        event('acme', 'api', NOW, 'live acme api'),
        event('globex', 'web', NOW, 'live globex web'),
        event('globex', 'api', NOW, 'live globex api'),
      ];
      await produce(h, fresh);
      for (const [i, r] of readers.entries()) {
        const expected = fresh.filter(visibleTo(r.key, r.tenant));
        await tails[i].until((events) => expected.every((e) => events.some((x) => x.id === e.id)));
      }
      // Every subscriber was handed the same batches; once all expected arrived, nothing foreign did.
      for (const [i, r] of readers.entries()) {
        const got = tails[i].events.filter((e) => e.tenant !== 'warmup');
        assert.deepEqual(ids(got), ids(fresh.filter(visibleTo(r.key, r.tenant))), label(r));
      }
    } finally {
      for (const t of tails) t.close();
    }
  });
});

async function produce(h: QueryHarness, events: LogEvent[]): Promise<void> {
  await h.bus.produce(
    ENRICHED,
    events.map((e) => ({
      key: `${e.tenant}|${e.service}`,
      value: new TextEncoder().encode(JSON.stringify(e)),
    })),
  );
}
