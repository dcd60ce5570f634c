import type { LogEvent } from '../../../core/event/types.ts';
import type { Stage, StageCounters } from './types.ts';

export interface FilterRule {
  /** The rule's query text, which names it in the dropped-events metric. */
  when: string;
  matches: (event: LogEvent) => boolean;
}

/** Drops events matching a rule (the first match decides) and counts them per rule. */
export function filterStage(rules: readonly FilterRule[], counters: StageCounters): Stage {
  if (rules.length === 0) return (events) => events;
  return (events) => {
    const kept: LogEvent[] = [];
    const dropped = new Map<string, number>();
    for (const e of events) {
      const rule = rules.find((r) => r.matches(e));
      if (rule === undefined) kept.push(e);
      else dropped.set(rule.when, (dropped.get(rule.when) ?? 0) + 1);
    }
    for (const [rule, n] of dropped) counters.dropped(rule, n);
    return kept;
  };
}
