import type { LogEvent } from '../../../core/event/types.ts';

/** A pipeline stage: events in, the events that go on out (same objects or new ones, in order). */
export type Stage = (events: LogEvent[]) => LogEvent[];

/** Counts a stage keeps for the processor's metrics (dropped by rule, sampled out, masked…). */
export interface StageCounters {
  dropped(rule: string, count: number): void;
  sampledOut(rule: string, count: number): void;
}
