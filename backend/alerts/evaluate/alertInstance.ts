import type { GroupValue } from '../rules/groupFields.ts';

/**
 * One alert: a rule's state for one tenant and one group. Inactive alerts are not kept at all;
 * `resolved` lasts one evaluation (long enough to be notified and seen) and then becomes inactive.
 */
export type AlertState = 'pending' | 'firing' | 'resolved';

export interface AlertInstance {
  rule: string;
  tenant: string;
  /** The group's values as JSON, in group_by order; '[]' for a rule without group_by. */
  groupKey: string;
  /** The group's values by field name; {} without group_by. */
  group: Record<string, GroupValue>;
  state: AlertState;
  /** When the condition started to hold (pending began); kept after resolving for the episode's link. */
  activeSince: number;
  /** When the alert entered `state`. */
  since: number;
  /** Matching events in the window at the last evaluation. */
  count: number;
  /** False when the store counted only up to a bound (the count is a lower bound). */
  countExact: boolean;
  evaluatedAt: number;
}

/** Identity of an alert across evaluations and in the store. */
export interface AlertKey {
  tenant: string;
  rule: string;
  groupKey: string;
}

export function alertKeyOf(key: AlertKey): string {
  return `${key.tenant}\u0000${key.rule}\u0000${key.groupKey}`;
}

const RANK: Record<AlertState | 'inactive', number> = { inactive: 0, resolved: 1, pending: 2, firing: 3 };

/** The most pressing state among alerts, for a rule's one-word summary. */
export function worstState(states: Iterable<AlertState>): AlertState | 'inactive' {
  let worst: AlertState | 'inactive' = 'inactive';
  for (const state of states) if (RANK[state] > RANK[worst]) worst = state;
  return worst;
}
