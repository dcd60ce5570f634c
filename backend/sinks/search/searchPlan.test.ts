import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canMatch,
  DEFAULT_TOTAL_BOUND,
  MAX_LIMIT,
  pageOf,
  planSearch,
  SearchRequestError,
  totalOf,
} from './searchPlan.ts';

const request = { tenant: 'acme', range: { from: 0, to: 10 }, limit: 10, order: 'asc' as const };

describe('search plans', () => {
  it('bounds the page size and defaults the total bound', () => {
    const plan = planSearch({ ...request, limit: 1_000_000 });
    assert.equal(plan.limit, MAX_LIMIT);
    assert.equal(plan.totalBound, DEFAULT_TOTAL_BOUND);
  });

  it('refuses malformed requests with a request error', () => {
    const bad = [
      { ...request, limit: -1 },
      { ...request, limit: 1.5 },
      { ...request, range: { from: Number.NaN, to: 1 } },
      { ...request, order: 'sideways' as 'asc' },
      { ...request, query: 'level:error' },
      { ...request, after: { ts: 'yesterday', id: 'x' } },
    ];
    for (const r of bad)
      assert.throws(
        () => planSearch(r),
        (e: Error) => (e as { code?: string }).code !== undefined,
      );
    assert.throws(() => planSearch({ ...request, totalBound: -1 }), SearchRequestError);
  });

  it('treats an empty service scope as matching nothing, not as unrestricted', () => {
    assert.equal(canMatch(planSearch({ ...request, services: [] })), false);
    assert.equal(canMatch(planSearch({ ...request })), true);
    assert.equal(canMatch(planSearch({ ...request, range: { from: 5, to: 5 } })), false);
  });

  it('reports a next cursor only when a further row exists', () => {
    const rows = [1, 2, 3].map((i) => ({ id: `e${i}`, ts: `2026-11-23T12:00:0${i}Z` }) as never);
    assert.deepEqual(pageOf(rows, 2, totalOf(3, 10)).next, { ts: '2026-11-23T12:00:02Z', id: 'e2' });
    assert.equal(pageOf(rows, 3, totalOf(3, 10)).next, null);
    assert.deepEqual(totalOf(11, 10), { value: 10, relation: 'gte' });
  });
});
