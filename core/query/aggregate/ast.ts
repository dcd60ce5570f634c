import type { KeywordField, QueryNode } from '../ast.ts';

/**
 * The aggregation after a query's pipe (docs/query-language.md, "Aggregations"):
 * `<filter> | stats count(), p95(latency_ms) by service, bucket(5m)` or `<filter> | top 10 host`.
 * Parsed by parsePipeline, resolved against a time range by planAggregate; every store computes
 * the plan's partial state (accumulate.ts is the reference) and core merges and finishes it.
 */

/** What an aggregation reads: the level (by name), a reserved keyword field, or an attribute. */
export type AggField =
  | { kind: 'level' }
  | { kind: 'keyword'; field: KeywordField }
  | { kind: 'attr'; name: string };

export type AggFunctionName = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'percentile' | 'count_distinct';

export interface AggFunction {
  fn: AggFunctionName;
  /** null only for `count()`. Numeric functions read attributes only. */
  field: AggField | null;
  /** 0 < percent < 100, for `percentile` (`p95` is percentile 95). */
  percent?: number;
  /** The result column's name, canonical: `count()`, `p95(latency_ms)`, `count_distinct(host)`. */
  name: string;
  start: number;
  end: number;
}

/** `bucket()` (ms null: sized to the range) or `bucket(5m)`, or a field. */
export type GroupBy =
  | { kind: 'bucket'; ms: number | null; start: number; end: number }
  | { kind: 'field'; field: AggField; name: string; start: number; end: number };

export interface StatsStage {
  type: 'stats';
  functions: AggFunction[];
  by: GroupBy[];
  start: number;
}

export interface TopStage {
  type: 'top';
  limit: number;
  field: AggField;
  name: string;
  start: number;
}

export interface Pipeline {
  /** The filter before the pipe (the whole query when there is none). */
  filter: QueryNode;
  stage: StatsStage | TopStage | null;
}

/** A stage resolved for one request: the bucket size is known. Stores compute exactly this. */
export interface AggregatePlan {
  functions: AggFunction[];
  /** Group keys in column order; a bucket's ms is set. */
  by: Array<{ kind: 'bucket'; ms: number } | { kind: 'field'; field: AggField; name: string }>;
  /** `top N`: one count by one field, answered as the N largest groups. */
  top: number | null;
  bucketMs: number | null;
  /** Most groups a partial may hold before the request fails with too_many_groups. */
  maxGroups: number;
}

/** One group's key values, in `by` order: a bucket start (ms) or a field value's text. */
export type GroupKey = Array<string | number>;

/**
 * Each function's mergeable state. Exact where a store can give it; OpenSearch's cardinality and
 * percentiles are estimates (`approx`), which merge only approximately (docs/query-language.md).
 */
export type AggState =
  | { t: 'count'; n: number }
  | { t: 'sum'; sum: number; n: number }
  | { t: 'min' | 'max'; v: number | null }
  | { t: 'distinct'; values: Set<string> }
  | { t: 'distinct~'; approx: number }
  | { t: 'values'; values: number[] }
  | { t: 'values~'; approx: number | null; n: number };

export interface PartialGroup {
  key: GroupKey;
  states: AggState[];
}

/** Groups by JSON of their key. */
export type AggregatePartial = Map<string, PartialGroup>;

export interface AggregateColumn {
  name: string;
  type: 'time' | 'string' | 'number';
}

export interface AggregateTable {
  columns: AggregateColumn[];
  rows: Array<Array<string | number | null>>;
  bucket_ms: number | null;
}
