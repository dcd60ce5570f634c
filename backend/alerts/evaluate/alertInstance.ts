export type { AlertInstance, AlertKey, AlertState } from '../../../core/ports/alertStore.ts';

import type { AlertKey, AlertState } from '../../../core/ports/alertStore.ts';

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
