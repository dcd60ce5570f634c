import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import { createQuantileSketch, SKETCH_RELATIVE_ACCURACY } from './quantileSketch.ts';
import { createQuantileState, exactQuantile } from './quantiles.ts';

const QUANTILES = [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

describe('percentiles', () => {
  it('are exact (nearest rank) while a window holds at most the exact limit', () => {
    const state = createQuantileState(0.95, 100);
    for (const value of [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]) state.add(value);
    assert.equal(state.value(), 10);
    assert.equal(exactQuantile([5, 1, 4, 2, 3, 10, 9, 8, 7, 6], 0.5), 5);
    assert.equal(exactQuantile([3], 0.01), 3);
  });

  it('stay within 1% of the exact answer once the sketch takes over, whatever the distribution', () => {
    const random = mulberry32(7);
    const distributions: Record<string, () => number> = {
      latencyMs: () => Math.exp(random() * 3 + random() * 5),
      uniform: () => random() * 1000,
      withZerosAndNegatives: () => (random() < 0.1 ? 0 : (random() - 0.3) * 500),
      heavyTail: () => 1 / (random() + 1e-6),
    };
    for (const [name, draw] of Object.entries(distributions)) {
      const values = Array.from({ length: 50_000 }, draw);
      const sketch = createQuantileSketch();
      for (const value of values) sketch.add(value);
      for (const q of QUANTILES) {
        const exact = exactQuantile(values, q);
        const approx = sketch.quantile(q);
        const bound = SKETCH_RELATIVE_ACCURACY * Math.abs(exact) * (1 + 1e-9) + 1e-9;
        assert.ok(Math.abs(approx - exact) <= bound, `${name} q=${q}: ${approx} vs exact ${exact}`);
      }
    }
  });

  it('switch to the sketch past the exact limit and keep the 1% bound', () => {
    const random = mulberry32(8);
    const values = Array.from({ length: 5000 }, () => Math.exp(random() * 8));
    const state = createQuantileState(0.99, 1000);
    for (const value of values) state.add(value);
    const exact = exactQuantile(values, 0.99);
    const got = state.value();
    assert.notEqual(got, exact, 'answered by the sketch, not by sorting');
    assert.ok(Math.abs(got - exact) <= SKETCH_RELATIVE_ACCURACY * exact, `${got} vs ${exact}`);
  });

  it('answer NaN for an empty sketch', () => {
    assert.ok(Number.isNaN(createQuantileSketch().quantile(0.5)));
  });
});
