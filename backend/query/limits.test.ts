import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import { UnavailableError } from '../../core/ports/unavailable.ts';
import { waitFor } from '../../test/helpers/waitFor.ts';
import { DAY, HOUR, KEYS, NOW, type QueryHarness, range, startQueryHarness } from './testing/queryHarness.ts';
import { openTail } from './testing/sse.ts';
import { seedWorld } from './testing/world.ts';

const raw = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function expectError(h: QueryHarness, path: string, status: number, code: string) {
  const res = await h.get(path, 'acme');
  const text = await res.text();
  assert.equal(res.status, status, `${path}: ${text}`);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code, `${path}: ${text}`);
  assert.ok(body.error.message.length > 10, 'the message says what to do');
  return { res, body };
}

describe('query API: limits and bad parameters', () => {
  let h: QueryHarness;
  before(async () => {
    h = await startQueryHarness({ limits: { maxRangeMs: 7 * DAY, maxLimit: 500 } });
    await seedWorld(h);
  });
  after(() => h.close());

  it('refuses a range over the limit, on search, trace and metrics', async () => {
    const tooWide = range(NOW - 8 * DAY, NOW);
    await expectError(h, `/api/v1/search?${tooWide}`, 400, 'range_too_large');
    await expectError(h, `/api/v1/trace/corr-shared?${tooWide}`, 400, 'range_too_large');
    await expectError(h, `/api/v1/metrics?name=log_count&${tooWide}`, 400, 'range_too_large');
    await expectError(h, '/api/v1/search?from=now-8d', 400, 'range_too_large');
    const res = await h.get('/api/v1/search?from=now-7d', 'acme');
    assert.equal(res.status, 200, 'exactly the limit is allowed');
    await res.body?.cancel();
  });

  it('refuses bad limits, orders, sources and times with their codes', async () => {
    await expectError(h, '/api/v1/search?limit=501', 400, 'limit_too_large');
    for (const bad of ['0', '-1', '1.5', 'ten', '1e3x'])
      await expectError(h, `/api/v1/search?limit=${bad}`, 400, 'bad_limit');
    await expectError(h, '/api/v1/search?order=sideways', 400, 'bad_order');
    await expectError(h, '/api/v1/search?source=cold', 400, 'bad_source');
    for (const bad of ['yesterday', 'now-15x', '2026-13-45T00:00:00Z', '99999999999999999', 'now-'])
      await expectError(h, `/api/v1/search?from=${encodeURIComponent(bad)}`, 400, 'bad_time');
    await expectError(h, '/api/v1/search?from=now&to=now-1h', 400, 'bad_range');
    await expectError(h, '/api/v1/search?from=now&to=now', 400, 'bad_range');
    await expectError(h, '/api/v1/metrics?name=log_count&from=soon', 400, 'bad_time');
    await expectError(h, '/api/v1/trace/corr-shared?to=later', 400, 'bad_time');
  });

  it('refuses cursors it did not issue, including ones a store could not read', async () => {
    const bad = [
      'garbage',
      '!!!',
      'x'.repeat(2000),
      raw({ v: 2, p: 'hot', t: '2026-11-24T11:00:00Z', i: 'x' }),
      raw({ v: 1, p: 'cold', t: '2026-11-24T11:00:00Z', i: 'x' }),
      raw({ v: 1, p: 'hot', t: 'not a time', i: 'x' }),
      raw({ v: 1, p: 'hot', t: '2026-11-24T11:00:00Z', i: 'x'.repeat(200) }),
      raw({ v: 1, p: 'hot', t: '2026-11-24T11:00:00Z', i: 7 }),
      raw([1, 2, 3]),
      raw(null),
      // Readable by Date.parse, not by the stores' RFC 3339 parser: must still be refused, not a 500.
      raw({ v: 1, p: 'hot', t: 'November 24, 2026 11:00', i: 'x' }),
      raw({ v: 1, p: 'hot', t: '2026', i: 'x' }),
      raw({ v: 1, p: 'archive', t: 'Tue, 24 Nov 2026 11:00:00 GMT', i: 'x' }),
    ];
    for (const cursor of bad) {
      for (const order of ['desc', 'asc']) {
        await expectError(
          h,
          `/api/v1/search?${range(NOW - 3 * DAY, NOW)}&order=${order}&cursor=${encodeURIComponent(cursor)}`,
          400,
          'bad_cursor',
        );
      }
    }
  });

  it('refuses bad metric names and steps', async () => {
    await expectError(h, '/api/v1/metrics', 400, 'bad_metric_name');
    await expectError(h, '/api/v1/metrics?name=Log-Count', 400, 'bad_metric_name');
    await expectError(h, '/api/v1/metrics?name=log_count&step=1ms', 400, 'bad_step');
    await expectError(h, '/api/v1/metrics?name=log_count&step=fast', 400, 'bad_step');
    await expectError(
      h,
      `/api/v1/metrics?name=log_count&step=1s&${range(NOW - 7 * DAY, NOW)}`,
      400,
      'too_many_points',
    );
  });

  it('refuses malformed correlation IDs and answers 404 for unknown ones', async () => {
    await expectError(h, `/api/v1/trace/${'x'.repeat(129)}`, 400, 'bad_correlation_id');
    await expectError(h, '/api/v1/trace/-leading-dash', 400, 'bad_correlation_id');
    await expectError(h, `/api/v1/trace/never-seen?${range(NOW - HOUR, NOW)}`, 404, 'trace_not_found');
  });

  it('answers a JSON 404 for routes that do not exist', async () => {
    const res = await h.get('/api/v1/searches', 'acme');
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'not_found');
  });
});

describe('query API: per-key rate limit', () => {
  let h: QueryHarness;
  before(async () => {
    // One token per 100 s: a loaded machine cannot refill the bucket between the requests.
    h = await startQueryHarness({ rate: { rate: 0.01, burst: 3 } });
  });
  after(() => h.close());

  it('answers 429 with Retry-After once a key spends its burst, without slowing other keys', async () => {
    const path = `/api/v1/search?${range(NOW - HOUR, NOW)}`;
    for (let i = 0; i < 3; i++) {
      const res = await h.get(path, 'acme');
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    const limited = await h.get(path, 'acme');
    assert.equal(limited.status, 429);
    assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${retryAfter}`);
    for (const path2 of ['/api/v1/trace/x', '/api/v1/metrics?name=log_count', '/api/v1/tail']) {
      const res = await h.get(path2, 'acme');
      assert.equal(res.status, 429, `${path2} shares the key's budget`);
      await res.body?.cancel();
    }
    const other = await h.get(path, 'globex');
    assert.equal(other.status, 200, 'another key has its own bucket');
    await other.body?.cancel();
  });
});

describe('query API: query timeout', () => {
  let h: QueryHarness;
  const signals: AbortSignal[] = [];
  before(async () => {
    // The one test double here: the real store, answering 2 s late.
    const slow = (store: SearchStore): SearchStore => ({
      ...store,
      search: async (request) => {
        if (request.signal !== undefined) signals.push(request.signal);
        await new Promise((r) => setTimeout(r, 2000));
        return store.search(request);
      },
      trace: async (...args) => {
        await new Promise((r) => setTimeout(r, 2000));
        return store.trace(...args);
      },
    });
    h = await startQueryHarness({ limits: { timeoutMs: 100 }, wrapSearch: slow });
  });
  after(() => h.close());

  it('abandons a store call that takes longer than the timeout with 408', async () => {
    await expectError(h, `/api/v1/search?${range(NOW - HOUR, NOW)}`, 408, 'query_timeout');
    // The store is told that nobody waits any more, so it can drop or cancel the work.
    assert.equal(signals.length, 1);
    assert.equal(signals[0].aborted, true);
    await expectError(h, `/api/v1/trace/corr-shared?${range(NOW - HOUR, NOW)}`, 408, 'query_timeout');
  });
});

describe('query API: a store that is briefly unavailable', () => {
  let h: QueryHarness;
  before(async () => {
    // What the OpenSearch store throws for a 503 "all shards failed" (an index still being created).
    const down = (store: SearchStore): SearchStore => ({
      ...store,
      search: async () => {
        throw new UnavailableError(
          'search_unavailable',
          'the search store',
          'search: 503 all shards failed',
          7,
        );
      },
      trace: async () => {
        throw new UnavailableError(
          'search_unavailable',
          'the search store',
          'search: 503 all shards failed',
          7,
        );
      },
    });
    h = await startQueryHarness({ wrapSearch: down });
  });
  after(() => h.close());

  it("answers 503 with Retry-After, not 500, without the engine's words", async () => {
    for (const path of [
      `/api/v1/search?${range(NOW - HOUR, NOW)}`,
      `/api/v1/trace/corr-shared?${range(NOW - HOUR, NOW)}`,
    ]) {
      const { res, body } = await expectError(h, path, 503, 'search_unavailable');
      assert.equal(res.headers.get('retry-after'), '7');
      assert.doesNotMatch(body.error.message, /shards/);
      assert.match(body.error.message, /search store is unavailable.*retry/);
    }
  });
});

describe('query API: trace default range', () => {
  let h: QueryHarness;
  before(async () => {
    // Hot retention longer than the longest range a request may ask for.
    h = await startQueryHarness({ hotRetentionMs: 90 * DAY, limits: { maxRangeMs: 31 * DAY } });
    await seedWorld(h);
  });
  after(() => h.close());

  it('without from/to looks back over hot retention, capped at the range limit instead of refusing', async () => {
    const body = await h.json<{ events: Array<{ correlation_id: string; tenant: string }> }>(
      '/api/v1/trace/corr-shared',
      'acme',
    );
    assert.ok(body.events.length > 0);
    assert.ok(body.events.every((e) => e.correlation_id === 'corr-shared' && e.tenant === 'acme'));
  });
});

describe('query API: live tails per tenant', () => {
  let h: QueryHarness;
  before(async () => {
    h = await startQueryHarness({ tailLimits: { maxPerTenant: 2, maxPerKey: 3 } });
  });
  after(() => h.close());

  it('answers 429 with Retry-After past the per-tenant cap, and frees the slot when a tail disconnects', async () => {
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });
    const first = await openTail(`${h.url}/api/v1/tail`, auth(KEYS.acme));
    const second = await openTail(`${h.url}/api/v1/tail?q=level:error`, auth(KEYS.acmeWeb));
    assert.deepEqual([first.status, second.status], [200, 200]);
    const third = await h.get('/api/v1/tail', 'acme');
    assert.equal(third.status, 429);
    assert.equal(((await third.json()) as { error: { code: string } }).error.code, 'too_many_tails');
    assert.ok(Number(third.headers.get('retry-after')) >= 1);
    const globex = await openTail(`${h.url}/api/v1/tail`, auth(KEYS.globex));
    assert.equal(globex.status, 200, 'another tenant has its own cap');
    first.close();
    // The server notices the disconnect asynchronously; the slot must come back within a few seconds.
    await waitFor(
      'the tail slot to come back',
      async () => {
        const again = await openTail(`${h.url}/api/v1/tail`, auth(KEYS.acme));
        again.close();
        return again.status === 200;
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );
    second.close();
    globex.close();
  });

  it('counts an operator’s tails per key, not per tenant name it asks for', async () => {
    const auth = { authorization: `Bearer ${KEYS.operator}` };
    const open = [];
    for (let i = 0; i < 3; i++) {
      const tail = await openTail(`${h.url}/api/v1/tail?tenant=t${i}`, auth);
      assert.equal(tail.status, 200, `tail ${i}`);
      open.push(tail);
    }
    const more = await h.get('/api/v1/tail?tenant=t99', 'operator');
    assert.equal(more.status, 429);
    assert.match(((await more.json()) as { error: { message: string } }).error.message, /per key/);
    for (const tail of open) tail.close();
  });
});
