import type { LogEvent } from '../../../core/event/types.ts';
import type { MetricPoint } from '../../../core/ports/metricStore.ts';
import type { WindowTable } from './windowTable.ts';

/** One set of windows in the engine: the built-in metrics, or one configured aggregate. */
export interface WindowFamily {
  /** The `aggregate` label its late events are counted under. */
  name: string;
  table: WindowTable<unknown>;
  /**
   * Adds the event (time `ts`, already clamped) to each of its windows. Returns true when it was too
   * late for at least one of them and was dropped from it.
   * `emittedThrough`: windows final at or before this clock were emitted before a restart; skip them.
   */
  add(
    event: LogEvent,
    key: string,
    ts: number,
    offset: bigint,
    clockBefore: number,
    emittedThrough: number,
  ): boolean;
  /** Appends the points of windows due at this clock (or idle-published at publishClock) to `out`. */
  collect(clock: number, publishClock: number, out: MetricPoint[]): void;
}
