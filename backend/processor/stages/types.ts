import type { LogEvent } from '../../../core/event/types.ts';

/**
 * A pipeline stage: events in, the events that go on out, in order. A stage never changes an event it
 * was given: an event it changes comes out as a new object, so an event that comes out the same object
 * is unchanged and the processor writes its original bytes again instead of serializing it.
 */
export type Stage = (events: LogEvent[]) => LogEvent[];

/** Counts a stage keeps for the processor's metrics (dropped by rule, sampled out, masked…). */
export interface StageCounters {
  dropped(rule: string, count: number): void;
  sampledOut(rule: string, count: number): void;
}
