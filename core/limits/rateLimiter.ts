/**
 * Token buckets per key (a tenant for ingest, an API key for queries): `rate` units a second with bursts
 * up to `burst`. A request that does not fit is refused whole (429) with the seconds until it would fit,
 * so well-behaved clients back off and retry.
 */
export interface RateLimiter {
  /** Takes `count` tokens for `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string, count: number, nowMs?: number): number;
}

export interface RateLimit {
  /** Records a second; 0 means unlimited. */
  rate: number;
  burst: number;
}

export function createRateLimiter(options: RateLimit & { tenants?: Record<string, RateLimit> }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(tenant, count, nowMs = Date.now()) {
      const { rate, burst } = options.tenants?.[tenant] ?? options;
      if (rate <= 0) return 0; // unlimited
      let b = buckets.get(tenant);
      if (b === undefined) {
        b = { tokens: burst, at: nowMs };
        buckets.set(tenant, b);
      }
      b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * rate);
      b.at = nowMs;
      // A batch larger than the burst could never fit; let it through when the bucket is full so it is
      // limited by the rate over time rather than refused forever.
      const need = Math.min(count, burst);
      if (b.tokens >= need) {
        b.tokens -= count;
        return 0;
      }
      return (need - b.tokens) / rate;
    },
  };
}
