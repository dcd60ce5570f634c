import type { TimeRange } from './searchStore.ts';

/**
 * MetricStore port: time-bucketed metric points (PostgreSQL/TimescaleDB, or SQLite in standalone).
 * Points are upserted by (name, labels, bucket) so a replayed window overwrites instead of adding.
 */

export interface MetricPoint {
  name: string;
  /** Label set, e.g. { tenant, service }; stored in a canonical (sorted-key) form. */
  labels: Record<string, string>;
  /** Bucket start, ms since the epoch. */
  bucket: number;
  value: number;
}

/** How points that fall in one step (several buckets, or several bus partitions) are combined. */
export type MetricAggregation = 'sum' | 'max' | 'min' | 'avg';

export interface MetricQuery {
  name: string;
  /** Only series whose labels include all of these. */
  labels: Record<string, string>;
  range: TimeRange;
  /** Step in ms; points are aligned to multiples of it and missing steps are null. */
  step: number;
  /** Default `sum` (counts add up across buckets and partitions). */
  aggregation?: MetricAggregation;
  /** Labels that tell series apart; the others are aggregated away. Default: every label but `partition`. */
  groupBy?: string[];
}

export interface MetricSeries {
  labels: Record<string, string>;
  points: Array<[number, number | null]>;
}

export interface MetricStore {
  init(): Promise<void>;
  upsert(points: MetricPoint[]): Promise<void>;
  query(query: MetricQuery): Promise<MetricSeries[]>;
  dropBefore(time: number, options?: { dryRun?: boolean }): Promise<string[]>;
  close(): Promise<void>;
}
