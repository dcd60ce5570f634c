import { QueryError } from '../errors.ts';
import type { AggregatePlan, StatsStage, TopStage } from './ast.ts';

/** Per-request bounds on an aggregation's work (docs/query-language.md, "Limits"). */
export interface AggregateLimits {
  /** Most groups (rows) a `stats` may produce. */
  maxGroups: number;
  /** Most time buckets in the range for one `bucket(…)`. */
  maxBuckets: number;
  /** Most distinct values a `top` may count before choosing its N. */
  maxTopValues: number;
}

export const DEFAULT_AGGREGATE_LIMITS: AggregateLimits = {
  maxGroups: 10_000,
  maxBuckets: 2_000,
  maxTopValues: 100_000,
};

/** Fewest buckets `bucket()` gives a range (fewer only when the range is under a minute: 1 s is the floor). */
export const MIN_AUTO_BUCKETS = 60;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Sizes people read at a glance; `bucket()` takes the largest giving at least 60 buckets. */
const NICE_SIZES = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

/** The aggregation asks more than a request may do: too many groups or buckets. Answers 400. */
export class AggregateTooLargeError extends QueryError {
  readonly code: 'too_many_groups' | 'too_many_buckets';

  constructor(code: 'too_many_groups' | 'too_many_buckets', message: string, position: number) {
    super(message, position);
    this.code = code;
    this.name = 'AggregateTooLargeError';
  }
}

export function autoBucketMs(spanMs: number): number {
  let chosen = SECOND;
  for (const size of NICE_SIZES) if (Math.floor(spanMs / size) >= MIN_AUTO_BUCKETS) chosen = size;
  return chosen;
}

/** Epoch-aligned (UTC) start of the bucket holding `ms`. */
export function bucketStart(ms: number, size: number): number {
  return ms - (((ms % size) + size) % size);
}

/** Resolves a stage for a range [from, to): sizes `bucket()`, checks the bucket count. */
export function planAggregate(
  stage: StatsStage | TopStage,
  range: { from: number; to: number },
  limits: AggregateLimits = DEFAULT_AGGREGATE_LIMITS,
): AggregatePlan {
  if (stage.type === 'top') {
    return {
      functions: [{ fn: 'count', field: null, name: 'count()', start: stage.start, end: stage.start }],
      by: [{ kind: 'field', field: stage.field, name: stage.name }],
      top: stage.limit,
      bucketMs: null,
      maxGroups: limits.maxTopValues,
    };
  }
  let bucketMs: number | null = null;
  const by: AggregatePlan['by'] = stage.by.map((group) => {
    if (group.kind === 'field') return group;
    const ms = group.ms ?? autoBucketMs(range.to - range.from);
    const buckets = Math.ceil((range.to - bucketStart(range.from, ms)) / ms);
    if (buckets > limits.maxBuckets)
      throw new AggregateTooLargeError(
        'too_many_buckets',
        `bucket(${group.ms === null ? '' : 'size'}) makes ${buckets} buckets over this range; at most ${limits.maxBuckets} (use a larger size or bucket()) (at position ${group.start})`,
        group.start,
      );
    bucketMs = ms;
    return { kind: 'bucket', ms };
  });
  return { functions: stage.functions, by, top: null, bucketMs, maxGroups: limits.maxGroups };
}

export function tooManyGroups(plan: AggregatePlan): AggregateTooLargeError {
  const what =
    plan.top !== null
      ? `top found more than ${plan.maxGroups} distinct values to rank`
      : `the aggregation makes more than ${plan.maxGroups} groups`;
  return new AggregateTooLargeError(
    'too_many_groups',
    `${what}; narrow the filter or the time range, or group by fewer or coarser keys (at position 0)`,
    0,
  );
}
