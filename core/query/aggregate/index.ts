/** Aggregations after a query's pipe: parse, plan, the reference accumulator, merging, the answer's table. */

export { aggregateEvents, createAccumulator, emptyState, fieldText, groupKeyOf } from './accumulate.ts';
export type * from './ast.ts';
export { compareCodePoints, compareKeys, finishAggregate } from './finish.ts';
export { finishState, mergePartials, mergeState, percentileOf } from './merge.ts';
export { findPipe, PIPE_LIMITS, parsePipeline } from './parsePipeline.ts';
export {
  type AggregateLimits,
  AggregateTooLargeError,
  autoBucketMs,
  bucketStart,
  DEFAULT_AGGREGATE_LIMITS,
  MIN_AUTO_BUCKETS,
  planAggregate,
  tooManyGroups,
} from './plan.ts';
