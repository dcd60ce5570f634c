import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from './rateLimiter.ts';

describe('rate limiter', () => {
  it('allows a burst, then refuses with the wait until tokens refill', () => {
    const rl = createRateLimiter({ rate: 100, burst: 200 });
    assert.equal(rl.take('acme', 200, 0), 0);
    const wait = rl.take('acme', 50, 0);
    assert.ok(Math.abs(wait - 0.5) < 1e-9, String(wait));
    assert.equal(rl.take('acme', 50, 500), 0);
  });

  it('keeps tenants apart', () => {
    const rl = createRateLimiter({ rate: 10, burst: 10 });
    assert.equal(rl.take('a', 10, 0), 0);
    assert.ok(rl.take('a', 1, 0) > 0);
    assert.equal(rl.take('b', 10, 0), 0);
  });

  it('applies per-tenant overrides', () => {
    const rl = createRateLimiter({ rate: 1, burst: 1, tenants: { big: { rate: 1000, burst: 1000 } } });
    assert.equal(rl.take('big', 500, 0), 0);
    assert.equal(rl.take('small', 1, 0), 0);
    assert.ok(rl.take('small', 1, 0) > 0);
  });

  it('is unlimited with a rate of 0', () => {
    const rl = createRateLimiter({ rate: 0, burst: 0 });
    assert.equal(rl.take('a', 1e9, 0), 0);
  });

  it('lets a batch larger than the burst through when the bucket is full, then makes later ones wait', () => {
    const rl = createRateLimiter({ rate: 10, burst: 10 });
    assert.equal(rl.take('a', 30, 0), 0);
    assert.ok(rl.take('a', 1, 0) > 2);
  });
});
