import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../core/event/types.ts';
import {
  aggregateEvents,
  finishAggregate,
  parsePipeline,
  planAggregate,
} from '../../core/query/aggregate/index.ts';
import { evaluate } from '../../core/query/index.ts';
import { DAY, HOUR, NOW, type QueryHarness, range, startQueryHarness } from './testing/queryHarness.ts';
import { seedWorld, type World } from './testing/world.ts';

interface Answer {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  bucket_ms: number | null;
  took_ms: number;
  approximate: boolean;
}

/** What the reference says for `q` over the events a tenant's key sees in [from, to). */
function expected(events: LogEvent[], tenant: string, q: string, from: number, to: number) {
  const pipeline = parsePipeline(q, { nowMs: NOW });
  const plan = planAggregate(pipeline.stage!, { from, to });
  const inRange = events.filter((e) => {
    const ms = Date.parse(e.ts);
    return e.tenant === tenant && ms >= from && ms < to && evaluate(pipeline.filter, e);
  });
  const { columns, rows, bucket_ms } = finishAggregate(plan, aggregateEvents(plan, inRange));
  return { columns, rows, bucket_ms };
}

describe('GET /api/v1/aggregate', () => {
  let h: QueryHarness;
  let world: World;
  let all: LogEvent[];

  before(async () => {
    h = await startQueryHarness();
    world = await seedWorld(h);
    all = [...world.hot, ...world.archived];
  });
  after(() => h.close());

  const ask = (q: string, from: number, to: number, extra = '', key: 'acme' | 'globex' = 'acme') =>
    h.json<Answer>(`/api/v1/aggregate?q=${encodeURIComponent(q)}&${range(from, to)}${extra}`, key);

  for (const q of [
    '| stats count() by bucket(), level',
    'level>=info | stats count(), count_distinct(service), max(http.status) by service',
    '| top 3 service',
    'timeout | stats count(), avg(http.status), p50(http.status)',
    '-timeout | top 10 order.id',
  ]) {
    it(`answers ${q} over the hot store as the reference does`, async () => {
      const answer = await ask(q, NOW - HOUR, NOW);
      const want = expected(world.hot, 'acme', q, NOW - HOUR, NOW);
      assert.deepEqual({ columns: answer.columns, rows: answer.rows, bucket_ms: answer.bucket_ms }, want);
      assert.ok(answer.rows.length > 0);
    });
  }

  it('spans the archive and the hot store with source=auto, each event once', async () => {
    const q = '| stats count() by service, level';
    const answer = await ask(q, NOW - 3 * DAY, NOW);
    // The archive holds each hour twice and the search store a stale copy of old events: neither counts twice.
    assert.deepEqual(answer.rows, expected(all, 'acme', q, NOW - 3 * DAY, NOW).rows);
    const hotOnly = await ask(q, NOW - 3 * DAY, NOW, '&source=hot');
    assert.notDeepEqual(hotOnly.rows, answer.rows);
  });

  it('sizes bucket() to the range: at least 60 buckets, whole seconds at the least', async () => {
    for (const [span, size] of [
      [24 * HOUR, 15 * 60_000],
      [HOUR, 60_000],
      [10 * 60_000, 10_000],
      [30_000, 1000],
    ] as const) {
      const answer = await ask('| stats count() by bucket()', NOW - span, NOW);
      assert.equal(answer.bucket_ms, size, `span ${span}`);
      assert.equal(answer.columns[0].type, 'time');
    }
  });

  it('keeps tenants apart', async () => {
    const acme = await ask('| top 10 service', NOW - HOUR, NOW);
    const globex = await ask('| top 10 service', NOW - HOUR, NOW, '', 'globex');
    assert.deepEqual(
      acme.rows.map((r) => r[0]),
      ['api', 'web', 'worker'],
    );
    assert.deepEqual(
      globex.rows.map((r) => r[0]),
      ['api', 'web'],
    );
  });

  it('takes the same fields as a JSON body with POST', async () => {
    const res = await h.get('/api/v1/aggregate', 'acme', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        q: '| stats count() by level',
        from: new Date(NOW - HOUR).toISOString(),
        to: new Date(NOW).toISOString(),
      }),
    });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as Answer;
    assert.deepEqual(
      answer.rows,
      expected(world.hot, 'acme', '| stats count() by level', NOW - HOUR, NOW).rows,
    );
  });

  it('streams progress then the result with progress=1', async () => {
    const res = await h.get(
      `/api/v1/aggregate?q=${encodeURIComponent('| stats count()')}&${range(NOW - 3 * DAY, NOW)}&progress=1`,
      'acme',
    );
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(lines.some((line) => line.progress !== undefined));
    assert.deepEqual(
      lines.at(-1).result.rows,
      expected(all, 'acme', '| stats count()', NOW - 3 * DAY, NOW).rows,
    );
  });

  for (const [q, code, position, extra] of [
    ['level>=warn | stats count() by', 'query_syntax', 30, ''],
    ['level>=warn | stats avg(service)', 'query_syntax', 20, ''],
    ['(error | stats count()', 'query_syntax', 7, ''],
    ['level>=warn', 'aggregation_missing', 11, ''],
    ['| stats count() by bucket(1s)', 'too_many_buckets', 19, `&${range(NOW - DAY, NOW)}`],
  ] as const) {
    it(`answers 400 ${code} with the position for ${q}`, async () => {
      const res = await h.get(
        `/api/v1/aggregate?q=${encodeURIComponent(q)}${extra === '' ? `&${range(NOW - HOUR, NOW)}` : extra}`,
        'acme',
      );
      const body = (await res.json()) as {
        error: { code: string; message: string; details: Array<{ position: number }> };
      };
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(body.error.code, code);
      assert.equal(body.error.details[0].position, position, body.error.message);
    });
  }
});
