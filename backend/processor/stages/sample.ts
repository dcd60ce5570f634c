import type { LogEvent } from '../../../core/event/types.ts';
import type { Stage, StageCounters } from './types.ts';

export interface SampleRule {
  /** Query text naming the rule in metrics ('*' when it applies to all). */
  when: string;
  matches: (event: LogEvent) => boolean;
  /** Fraction kept, 0..1. */
  rate: number;
}

/**
 * Keeps a fraction of matching events (the first matching rule applies). The decision is a hash of the
 * event id, not a coin toss, so an event redelivered after a crash gets the same answer and replays
 * never let through what the first pass dropped, or the other way round.
 */
export function sampleStage(rules: readonly SampleRule[], counters: StageCounters): Stage {
  if (rules.length === 0) return (events) => events;
  return (events) => {
    const kept: LogEvent[] = [];
    const out = new Map<string, number>();
    for (const e of events) {
      const rule = rules.find((r) => r.matches(e));
      if (rule === undefined || keepFraction(e.id) < rule.rate) kept.push(e);
      else out.set(rule.when, (out.get(rule.when) ?? 0) + 1);
    }
    for (const [rule, n] of out) counters.sampledOut(rule, n);
    return kept;
  };
}

/** A stable number in [0, 1) from an id: FNV-1a over its characters, then scaled. */
export function keepFraction(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // A final avalanche so ids differing only at the end still spread over the whole range.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 0x1_0000_0000;
}
