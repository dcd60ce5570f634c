/**
 * The one seeded pseudo-random generator: property tests, benchmarks, fixtures and the standalone demo
 * all draw from it, so a seed printed by a failing run reproduces that run.
 */
export type Rng = () => number;

/** mulberry32: a tiny deterministic PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
