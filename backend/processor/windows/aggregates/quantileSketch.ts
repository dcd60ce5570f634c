/**
 * A DDSketch-style quantile sketch (Masson, Rim, Lee, VLDB 2019): values are counted in logarithmic
 * buckets `(γ^(i-1), γ^i]` with γ = (1+α)/(1-α), and a bucket answers with 2γ^i/(γ+1). Every answer is
 * then within relative error α of the exact nearest-rank quantile: the true value at that rank lies in
 * the same bucket. The result depends only on the multiset of values, never on their order, which keeps
 * windows deterministic under replay.
 */
export interface QuantileSketch {
  add(value: number): void;
  /** Nearest-rank quantile, q in (0, 1]; NaN when empty. */
  quantile(q: number): number;
  readonly count: number;
}

export const SKETCH_RELATIVE_ACCURACY = 0.01;
/** Magnitudes below this count as zero: log buckets cannot reach 0, so tiny values get an absolute bound. */
export const SKETCH_MIN_MAGNITUDE = 1e-9;

export function createQuantileSketch(relativeAccuracy = SKETCH_RELATIVE_ACCURACY): QuantileSketch {
  const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
  const logGamma = Math.log(gamma);
  const positive = new Map<number, number>();
  const negative = new Map<number, number>();
  let zeros = 0;
  let count = 0;

  const bucketOf = (magnitude: number) => Math.ceil(Math.log(magnitude) / logGamma);
  const representative = (bucket: number) => (2 * gamma ** bucket) / (gamma + 1);

  return {
    get count() {
      return count;
    },
    add(value) {
      count++;
      if (value > SKETCH_MIN_MAGNITUDE) bump(positive, bucketOf(value));
      else if (value < -SKETCH_MIN_MAGNITUDE) bump(negative, bucketOf(-value));
      else zeros++;
    },
    quantile(q) {
      if (count === 0) return Number.NaN;
      const rank = Math.max(1, Math.ceil(q * count));
      let seen = 0;
      // Ascending order: the most negative values (largest negative bucket) first, then zeros, then positives.
      for (const bucket of [...negative.keys()].sort(descending)) {
        seen += negative.get(bucket)!;
        if (seen >= rank) return -representative(bucket);
      }
      seen += zeros;
      if (seen >= rank) return 0;
      for (const bucket of [...positive.keys()].sort(ascending)) {
        seen += positive.get(bucket)!;
        if (seen >= rank) return representative(bucket);
      }
      return Number.NaN; // unreachable: the counts sum to count
    },
  };
}

function bump(buckets: Map<number, number>, bucket: number): void {
  buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
}

const ascending = (a: number, b: number) => a - b;
const descending = (a: number, b: number) => b - a;
