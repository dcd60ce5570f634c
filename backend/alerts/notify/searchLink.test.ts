import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchLink } from './searchLink.ts';

const T = Date.UTC(2026, 10, 23, 12, 0, 0);
const hash = (link: string) => Object.fromEntries(new URLSearchParams(link.replace(/^\/#/, '')));

describe('search links in notifications', () => {
  it("narrow the rule's query to the alert's group, from a window before it started", () => {
    const link = searchLink(
      { query: 'service:checkout level>=error', windowMs: 300_000 },
      { group: { host: 'node-7', 'http.status': 504 }, activeSince: T, evaluatedAt: T + 120_000 },
    );
    assert.deepEqual(hash(link), {
      q: 'service:checkout level>=error host:node-7 http.status:504',
      from: '2026-11-23T11:55:00.000Z',
      to: '2026-11-23T12:02:00.000Z',
    });
  });

  it('keep an ungrouped query as written, and spell a missing group value as an absent field', () => {
    const at = { activeSince: T, evaluatedAt: T };
    assert.equal(
      hash(searchLink({ query: ' timeout  OR  error ', windowMs: 1 }, { group: {}, ...at })).q,
      'timeout  OR  error',
    );
    assert.equal(
      hash(searchLink({ query: 'a OR b', windowMs: 1 }, { group: { env: null }, ...at })).q,
      '(a OR b) -env:*',
    );
    assert.equal(hash(searchLink({ query: '', windowMs: 1 }, { group: {}, ...at })).q, undefined);
  });
});
