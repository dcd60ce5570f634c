import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, pause, retryAfterMs, retryDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles the ceiling with every attempt (full jitter up to it)', () => {
    const almostOne = () => 0.999_999;
    assert.equal(backoffDelay(0, { baseMs: 100, maxMs: 60_000, random: almostOne }), 99);
    assert.equal(backoffDelay(1, { baseMs: 100, maxMs: 60_000, random: almostOne }), 199);
    assert.equal(backoffDelay(4, { baseMs: 100, maxMs: 60_000, random: almostOne }), 1599);
  });

  it('spreads delays over the whole range, down to zero', () => {
    assert.equal(backoffDelay(5, { baseMs: 100, maxMs: 60_000, random: () => 0 }), 0);
    assert.equal(backoffDelay(5, { baseMs: 100, maxMs: 60_000, random: () => 0.5 }), 1600);
  });

  it('never exceeds the cap, even after very many attempts', () => {
    for (const attempt of [10, 100, 5000]) {
      assert.equal(backoffDelay(attempt, { baseMs: 100, maxMs: 30_000, random: () => 0.999_999 }), 29_999);
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');

  it('reads delta-seconds', () => {
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs(' 1 ', now), 1000);
    assert.equal(retryAfterMs('0', now), 0);
  });

  it('reads an HTTP-date as the time left until it', () => {
    assert.equal(retryAfterMs('Mon, 23 Nov 2026 12:00:30 GMT', now), 30_000);
  });

  it('treats a date in the past as no wait', () => {
    assert.equal(retryAfterMs('Mon, 23 Nov 2026 11:00:00 GMT', now), 0);
  });

  it('gives undefined for an absent or unreadable header so the caller uses its own backoff', () => {
    assert.equal(retryAfterMs(null, now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
    assert.equal(retryAfterMs('', now), undefined);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs('-5', now), undefined);
    assert.equal(retryAfterMs('1.5', now), undefined);
  });
});

describe('retryDelay', () => {
  const options = { baseMs: 100, maxMs: 30_000, random: () => 0.5 };

  it("waits at least as long as the server's Retry-After", () => {
    assert.equal(retryDelay(0, 5000, options), 5000);
  });

  it('keeps its own backoff when that is longer than Retry-After', () => {
    assert.equal(retryDelay(8, 0, options), 12_800);
  });

  it('caps an excessive Retry-After', () => {
    assert.equal(retryDelay(0, 86_400_000, { ...options, maxRetryAfterMs: 60_000 }), 60_000);
  });

  it('falls back to backoff without Retry-After', () => {
    assert.equal(retryDelay(2, undefined, options), 200);
  });
});

describe('pause', () => {
  it('waits the delay, and resolves at once when stopping aborts it', async () => {
    const started = performance.now();
    await pause(20, new AbortController().signal);
    assert.ok(performance.now() - started >= 15);

    const stopping = new AbortController();
    const long = pause(60_000, stopping.signal);
    stopping.abort();
    await long; // resolves rather than rejects: the caller reads signal.aborted
    assert.ok(performance.now() - started < 10_000);
  });
});
