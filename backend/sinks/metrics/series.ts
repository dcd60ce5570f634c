import type { MetricPoint, MetricQuery, MetricSeries } from '../../../core/ports/metricStore.ts';

/** One step of one label set, as a store returns it before gaps are filled. */
export interface StepRow {
  labels: Record<string, string>;
  /** Step start, ms since the epoch (a multiple of the step). */
  t: number;
  sum: number;
  count: number;
  max: number;
  min: number;
}

/** Labels in one canonical form (sorted keys), so the same set is always the same key. */
export function canonicalLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  const sorted: Record<string, string> = {};
  for (const k of keys) sorted[k] = String(labels[k]);
  return JSON.stringify(sorted);
}

/** The labels a series keeps: `groupBy` when given, else every label but `partition`. */
export function keptLabels(labels: Record<string, string>, groupBy?: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (groupBy === undefined ? k !== 'partition' : groupBy.includes(k)) out[k] = v;
  }
  return out;
}

export function alignDown(ms: number, step: number): number {
  return Math.floor(ms / step) * step;
}

/**
 * Turns per-step rows into series: rows of label sets that differ only in dropped labels are combined,
 * every step of the range gets a point, and steps with no data are null (a gap, not a zero).
 */
export function buildSeries(rows: StepRow[], q: MetricQuery): MetricSeries[] {
  const agg = q.aggregation ?? 'sum';
  const groups = new Map<string, { labels: Record<string, string>; steps: Map<number, StepRow> }>();
  for (const row of rows) {
    const labels = keptLabels(row.labels, q.groupBy);
    const key = canonicalLabels(labels);
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels, steps: new Map() };
      groups.set(key, g);
    }
    const prior = g.steps.get(row.t);
    if (prior === undefined) g.steps.set(row.t, { ...row, labels });
    else {
      prior.sum += row.sum;
      prior.count += row.count;
      prior.max = Math.max(prior.max, row.max);
      prior.min = Math.min(prior.min, row.min);
    }
  }
  const first = alignDown(q.range.from, q.step);
  const series: MetricSeries[] = [];
  for (const g of [...groups.values()].sort((a, b) =>
    canonicalLabels(a.labels).localeCompare(canonicalLabels(b.labels)),
  )) {
    const points: Array<[number, number | null]> = [];
    for (let t = first; t < q.range.to; t += q.step) {
      const s = g.steps.get(t);
      points.push([t, s === undefined ? null : value(s, agg)]);
    }
    series.push({ labels: g.labels, points });
  }
  return series;
}

function value(s: StepRow, agg: NonNullable<MetricQuery['aggregation']>): number {
  switch (agg) {
    case 'sum':
      return s.sum;
    case 'max':
      return s.max;
    case 'min':
      return s.min;
    case 'avg':
      return s.count === 0 ? 0 : s.sum / s.count;
  }
}

/** Refuses points a store cannot keep, naming the first bad one. */
export function checkPoints(points: MetricPoint[]): void {
  for (const p of points) {
    if (p.name === '' || !Number.isFinite(p.bucket) || !Number.isFinite(p.value)) {
      throw new Error(
        `invalid metric point ${JSON.stringify(p).slice(0, 200)}: name, bucket and value must be set and finite`,
      );
    }
  }
}
