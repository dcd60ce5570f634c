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

export interface MetricQuery {
  name: string;
  /** Only series whose labels include all of these. */
  labels: Record<string, string>;
  range: TimeRange;
  /** Step in ms; points are aligned to multiples of it and missing steps are null. */
  step: number;
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
