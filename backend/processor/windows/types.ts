import type { LogEvent } from '../../../core/event/types.ts';

/**
 * `sliding` is Flink's name for hopping windows (fixed size, started every `hop`); it is accepted as an
 * alias so Flink users find the word they know. See docs/windows.md.
 */
export type WindowKind = 'tumbling' | 'hopping' | 'sliding';

export type AggregateKind = 'count' | 'count_by' | 'sum' | 'avg' | 'min' | 'max' | 'p50' | 'p95' | 'p99';

/** One configured aggregate: a window shape, what to compute in it, and which events take part. */
export interface AggregateSpec {
  /** Metric name the points are written under, e.g. `checkout_latency_p95`. */
  name: string;
  kind: WindowKind;
  /** Window length in ms. */
  sizeMs: number;
  /** Distance between window starts in ms; equals sizeMs for tumbling windows. */
  hopMs?: number;
  /** How long after a window's end it waits for stragglers before firing; default: the engine's. */
  allowedLatenessMs?: number;
  /** After firing, how long late events still update the window (re-emitted); default: the engine's. */
  lateUpdatesMs?: number;
  aggregate: AggregateKind;
  /** Numeric field for sum/avg/min/max/p*: a reserved field or an attribute (`latency_ms`, `attrs.x`). */
  field?: string;
  /** Field whose values are counted by count_by; the value becomes a label named after the field. */
  by?: string;
  /** count_by: how many values to report by name; the rest are summed as `__other__`. Default 10. */
  top?: number;
  /** Only events for which this returns true take part (compiled from the query language by the caller). */
  where?: (event: LogEvent) => boolean;
}

export interface WindowEngineOptions {
  /** Bus partition this engine owns; becomes the `partition` label so partitions never overwrite each other. */
  partition: number;
  aggregates?: AggregateSpec[];
  /** log_count, error_count and error_rate per (tenant, service); default true. */
  builtinMetrics?: boolean;
  /** Window of the built-in metrics; default one minute. */
  builtinWindowMs?: number;
  /** Lateness for the built-in metrics and the default for aggregates that set none. */
  allowedLatenessMs: number;
  /** Late-update period for the built-ins and the default for aggregates; 0 drops every late event. */
  lateUpdatesMs?: number;
  /** Events stamped further than this past their observed time are windowed at observed time + this. */
  maxFutureMs?: number;
  /** Where the previous owner of this partition stopped: from the committed offset's metadata. */
  resume?: WindowCheckpoint;
}

/**
 * What must be committed with the bus offset so that a restart rebuilds exactly the windows the
 * previous owner had open and re-emits nothing it had already finished.
 */
export interface WindowCheckpoint {
  /** Last offset that may be committed (inclusive); null while the first record's window is open. */
  offset: bigint | null;
  /** Event-time clock (max event time) just before the record after `offset`. */
  clock: number;
  /** Every window that was due for eviction at this clock has had its final value emitted. */
  emittedThrough: number;
}

export interface WindowEngineStats {
  /** Events dropped from at least one window because they came after it closed (all aggregates). */
  lateEvents: number;
  /** Events whose `ts` could not be read; they take part in no window. */
  invalidEvents: number;
  /** Events stamped too far in the future, windowed at observed time + maxFuture instead. */
  clampedEvents: number;
  /** Window instances (plus late-count buckets) held in memory. */
  openWindows: number;
  /** Max event time seen; the watermark of an aggregate is this minus its allowed lateness. */
  clock: number;
}
