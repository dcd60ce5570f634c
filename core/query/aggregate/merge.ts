import type { AggFunction, AggregatePartial, AggregatePlan, AggState } from './ast.ts';
import { tooManyGroups } from './plan.ts';

/**
 * Merges partials of disjoint sets of events (days of the SQLite store, hot and archive parts of a
 * range). Exact for every state but the estimates OpenSearch gives (`distinct~`, `values~`): merged
 * with anything non-empty they become approximations (docs/query-language.md, "Merging").
 */
export function mergePartials(
  plan: AggregatePlan,
  into: AggregatePartial,
  from: AggregatePartial,
): AggregatePartial {
  for (const [id, group] of from) {
    const mine = into.get(id);
    if (mine === undefined) {
      if (into.size >= plan.maxGroups) throw tooManyGroups(plan);
      into.set(id, group);
      continue;
    }
    for (let i = 0; i < plan.functions.length; i++)
      mine.states[i] = mergeState(plan.functions[i], mine.states[i], group.states[i]);
  }
  return into;
}

export function mergeState(fn: AggFunction, a: AggState, b: AggState): AggState {
  if (a.t === 'count' && b.t === 'count') return { t: 'count', n: a.n + b.n };
  if (a.t === 'sum' && b.t === 'sum') return { t: 'sum', sum: a.sum + b.sum, n: a.n + b.n };
  if ((a.t === 'min' || a.t === 'max') && b.t === a.t) {
    if (a.v === null || b.v === null) return a.v === null ? b : a;
    return { t: a.t, v: a.t === 'min' ? Math.min(a.v, b.v) : Math.max(a.v, b.v) };
  }
  if (a.t === 'distinct' && b.t === 'distinct') {
    const [big, small] = a.values.size >= b.values.size ? [a, b] : [b, a];
    for (const value of small.values) big.values.add(value);
    return big;
  }
  if (a.t === 'values' && b.t === 'values') {
    const [big, small] = a.values.length >= b.values.length ? [a, b] : [b, a];
    for (const value of small.values) big.values.push(value);
    return big;
  }
  if (isDistinct(a) && isDistinct(b)) {
    // Distinct values of two estimates cannot be told apart: the sum is an upper bound.
    return { t: 'distinct~', approx: distinctCount(a) + distinctCount(b) };
  }
  if (isValues(a) && isValues(b)) {
    const [na, nb] = [valueCount(a), valueCount(b)];
    if (na === 0 || nb === 0) return na === 0 ? b : a;
    // A percentile of two parts, one an estimate: the parts' percentiles weighted by their sizes.
    const pa = finishPercentile(a, fn.percent as number);
    const pb = finishPercentile(b, fn.percent as number);
    const approx = pa === null || pb === null ? (pa ?? pb) : (pa * na + pb * nb) / (na + nb);
    return { t: 'values~', approx, n: na + nb };
  }
  throw new Error(`cannot merge ${a.t} with ${b.t} for ${fn.name}`);
}

function isDistinct(s: AggState): s is Extract<AggState, { t: 'distinct' | 'distinct~' }> {
  return s.t === 'distinct' || s.t === 'distinct~';
}

function isValues(s: AggState): s is Extract<AggState, { t: 'values' | 'values~' }> {
  return s.t === 'values' || s.t === 'values~';
}

function distinctCount(s: Extract<AggState, { t: 'distinct' | 'distinct~' }>): number {
  return s.t === 'distinct' ? s.values.size : s.approx;
}

function valueCount(s: Extract<AggState, { t: 'values' | 'values~' }>): number {
  return s.t === 'values' ? s.values.length : s.n;
}

/**
 * The percentile of exact values by linear interpolation between the closest ranks (numpy's
 * default, R-7): rank h = (n − 1)·p/100, answer x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function percentileOf(values: number[], percent: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const h = ((sorted.length - 1) * percent) / 100;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}

function finishPercentile(s: Extract<AggState, { t: 'values' | 'values~' }>, percent: number): number | null {
  return s.t === 'values' ? percentileOf(s.values, percent) : s.approx;
}

/** A function's answer from its state: null for numeric functions that saw no number. */
export function finishState(fn: AggFunction, state: AggState): number | null {
  switch (state.t) {
    case 'count':
      return state.n;
    case 'sum':
      if (state.n === 0) return null;
      return fn.fn === 'avg' ? state.sum / state.n : state.sum;
    case 'min':
    case 'max':
      return state.v;
    case 'distinct':
      return state.values.size;
    case 'distinct~':
      return state.approx;
    case 'values':
    case 'values~':
      return finishPercentile(state, fn.percent as number);
  }
}
