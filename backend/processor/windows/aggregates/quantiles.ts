import { createQuantileSketch, type QuantileSketch } from './quantileSketch.ts';

/**
 * One percentile over a window's values: exact (nearest rank on the sorted values) while the window holds
 * at most `exactLimit` values, then a log-bucket sketch within 1% relative error, so memory per window
 * stays bounded however busy the window is. The switch depends only on how many values arrived, so a
 * replay makes the same switch and answers the same.
 */
export interface QuantileState {
  add(value: number): void;
  value(): number;
}

export const EXACT_QUANTILE_LIMIT = 1000;

export function createQuantileState(q: number, exactLimit = EXACT_QUANTILE_LIMIT): QuantileState {
  let values: number[] | null = [];
  let sketch: QuantileSketch | null = null;
  return {
    add(value) {
      if (values !== null) {
        values.push(value);
        if (values.length <= exactLimit) return;
        sketch = createQuantileSketch();
        for (const held of values) sketch.add(held);
        values = null;
        return;
      }
      sketch!.add(value);
    },
    value() {
      return values !== null ? exactQuantile(values, q) : sketch!.quantile(q);
    },
  };
}

/** Nearest-rank quantile: the smallest value with at least q·n values at or below it. */
export function exactQuantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}
