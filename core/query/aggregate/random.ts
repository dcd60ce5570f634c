import type { LogEvent } from '../../event/types.ts';
import type { Rng } from '../../random/mulberry32.ts';
import type { QueryNode } from '../ast.ts';
import { evaluate } from '../evaluate.ts';
import { pick, RANDOM_NOW_MS, randomQuery } from '../random.ts';
import { aggregateEvents } from './accumulate.ts';
import type { AggregatePartial, AggregatePlan, AggregateTable, StatsStage, TopStage } from './ast.ts';
import { finishAggregate } from './finish.ts';
import { parsePipeline } from './parsePipeline.ts';
import { planAggregate } from './plan.ts';

/**
 * Seeded random pipes for property tests: functions and group keys drawn from the fields random.ts
 * gives its events (numbers, numeric strings, booleans, nulls and missing values included).
 */
const FIELDS = [
  'level',
  'service',
  'host',
  'env',
  'correlation_id',
  'http.status',
  'user',
  'retries',
  'ok',
  'absent',
];
const NUMERIC = ['latency', 'http.status', 'retries', 'attrs.level', 'absent'];
const BUCKETS = ['bucket()', 'bucket(10s)', 'bucket(1m)', 'bucket(5m)', 'bucket(1h)'];

function randomFunction(rng: Rng): string {
  const roll = rng();
  if (roll < 0.2) return 'count()';
  if (roll < 0.3) return `count(${pick(rng, FIELDS)})`;
  if (roll < 0.45) return `count_distinct(${pick(rng, FIELDS)})`;
  const fn = pick(rng, ['sum', 'avg', 'min', 'max', 'p50', 'p90', 'p99', 'percentile']);
  const field = pick(rng, NUMERIC);
  return fn === 'percentile' ? `percentile(${field}, 75)` : `${fn}(${field})`;
}

/** ` | stats …` or ` | top N field`, to append to a filter. */
export function randomPipe(rng: Rng): string {
  if (rng() < 0.25) return ` | top ${1 + Math.floor(rng() * 5)} ${pick(rng, FIELDS)}`;
  const functions = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => randomFunction(rng));
  const by = new Set<string>();
  const keys = Math.floor(rng() * 3);
  for (let i = 0; i < keys; i++)
    by.add(rng() < 0.3 ? pick(rng, BUCKETS).replace(/\(.*/, '') : pick(rng, FIELDS));
  const groups = [...by].map((key) => (key === 'bucket' ? pick(rng, BUCKETS) : key));
  return ` | stats ${functions.join(', ')}${groups.length > 0 ? ` by ${groups.join(', ')}` : ''}`;
}

/**
 * Asserts two answers agree: the same columns and group keys in the same order, counts equal, other
 * numbers equal up to float rounding (sums add in another order). `approx` names columns whose values
 * are estimates; `within(row, column)` then gives the interval they must lie in.
 */
export function tablesAgree(
  actual: AggregateTable,
  expected: AggregateTable,
  within?: (row: number, column: number) => [number, number] | null,
): string | null {
  if (JSON.stringify(actual.columns) !== JSON.stringify(expected.columns)) return 'columns differ';
  if (actual.bucket_ms !== expected.bucket_ms) return 'bucket_ms differs';
  if (actual.rows.length !== expected.rows.length)
    return `${actual.rows.length} rows, expected ${expected.rows.length}`;
  for (let r = 0; r < actual.rows.length; r++) {
    for (let c = 0; c < actual.columns.length; c++) {
      const a = actual.rows[r][c];
      const e = expected.rows[r][c];
      const where = `row ${r} (${JSON.stringify(expected.rows[r].slice(0, 3))}) column ${actual.columns[c].name}: ${a} vs ${e}`;
      if (actual.columns[c].type !== 'number' || a === null || e === null || typeof a === 'string') {
        if (a !== e) return where;
        continue;
      }
      const interval = within?.(r, c) ?? null;
      if (interval !== null) {
        const slack = 1e-9 * Math.max(1, Math.abs(interval[0]), Math.abs(interval[1]));
        if (!(Number(a) >= interval[0] - slack && Number(a) <= interval[1] + slack))
          return `${where} not in ${interval}`;
        continue;
      }
      const tolerance = 1e-9 * Math.max(1, Math.abs(Number(e)));
      if (!(Math.abs(Number(a) - Number(e)) <= tolerance)) return where;
    }
  }
  return null;
}

export interface AgreementOptions {
  events: LogEvent[];
  /** The store under test: the partial for the filter, range and plan (every tenant). */
  aggregate: (
    filter: QueryNode,
    range: { from: number; to: number },
    plan: AggregatePlan,
  ) => Promise<AggregatePartial>;
  rng: Rng;
  runs: number;
  /** The store estimates percentiles (OpenSearch): they must lie within a rank of the exact ones (percentileBounds). */
  approximatePercentiles?: boolean;
}

/**
 * Where an estimated percentile may lie: between the exact values one rank either side of the ranks it
 * interpolates between (t-digest on a few values interpolates between centroids, not ranks).
 */
function percentileBounds(
  plan: AggregatePlan,
  events: LogEvent[],
  expected: AggregateTable,
): (row: number, column: number) => [number, number] | null {
  const partial = aggregateEvents(plan, events);
  const keys = plan.by.length;
  const byRow = new Map<string, AggregatePartial extends Map<string, infer G> ? G : never>();
  for (const group of partial.values()) {
    const key = group.key.map((v, i) =>
      plan.by[i].kind === 'bucket' ? new Date(v as number).toISOString() : v,
    );
    byRow.set(JSON.stringify(key), group);
  }
  return (row, column) => {
    const fn = plan.functions[column - keys];
    if (column < keys || fn.fn !== 'percentile') return null;
    const group = byRow.get(JSON.stringify(expected.rows[row].slice(0, keys)));
    const state = group?.states[column - keys];
    if (state?.t !== 'values' || state.values.length === 0) return null;
    const sorted = [...state.values].sort((a, b) => a - b);
    const h = ((sorted.length - 1) * (fn.percent as number)) / 100;
    return [sorted[Math.max(0, Math.floor(h) - 1)], sorted[Math.min(sorted.length - 1, Math.ceil(h) + 1)]];
  };
}

/**
 * Runs random filters and pipes over random ranges against a store and the reference; returns the
 * failures (empty when they agree) and how many answers had rows, so a test can tell it proved something.
 */
export async function checkAggregateAgreement(
  o: AgreementOptions,
): Promise<{ failures: string[]; nonEmpty: number }> {
  const failures: string[] = [];
  let nonEmpty = 0;
  const times = o.events.map((e) => Date.parse(e.ts));
  const first = Math.min(...times);
  const last = Math.max(...times);
  for (let run = 0; run < o.runs; run++) {
    const { text } = randomQuery(o.rng, 2);
    const q = `${o.rng() < 0.2 ? '' : text}${randomPipe(o.rng)}`;
    const from = o.rng() < 0.5 ? first : first + Math.floor(o.rng() * (last - first));
    const range = { from, to: o.rng() < 0.5 ? last + 1 : from + 1 + Math.floor(o.rng() * (last + 1 - from)) };
    const pipeline = parsePipeline(q, { nowMs: RANDOM_NOW_MS });
    let plan: AggregatePlan;
    try {
      plan = planAggregate(pipeline.stage as StatsStage | TopStage, range);
    } catch {
      continue; // too many buckets for this range: the limit, not the semantics, is being tested elsewhere
    }
    const inRange = o.events.filter((e) => {
      const ms = Date.parse(e.ts);
      return ms >= range.from && ms < range.to && evaluate(pipeline.filter, e);
    });
    const expected = finishAggregate(plan, aggregateEvents(plan, inRange));
    const actual = finishAggregate(plan, await o.aggregate(pipeline.filter, range, plan));
    const within = o.approximatePercentiles === true ? percentileBounds(plan, inRange, expected) : undefined;
    const problem = tablesAgree(actual, expected, within);
    if (problem !== null) failures.push(`${q} over [${range.from}, ${range.to}): ${problem}`);
    if (expected.rows.length > 0) nonEmpty++;
  }
  return { failures, nonEmpty };
}
