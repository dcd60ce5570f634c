/**
 * An alert rule as Sluice evaluates it, whichever way it was defined: in sluice.yaml (`alerts.rules`,
 * read-only through the API, applied to every tenant) or through the API (one tenant's, kept in the
 * AlertStore). Durations are milliseconds here; the API and the YAML write them as `5m`.
 */

export type { AlertOp, AlertRule, RuleSource, Severity } from '../../../core/ports/alertStore.ts';
export { OPS, SEVERITIES } from '../../../core/ports/alertStore.ts';

import type { AlertOp } from '../../../core/ports/alertStore.ts';

/** Whether `count op threshold` holds. */
export function conditionHolds(op: AlertOp, count: number, threshold: number): boolean {
  switch (op) {
    case '>':
      return count > threshold;
    case '>=':
      return count >= threshold;
    case '<':
      return count < threshold;
    case '<=':
      return count <= threshold;
  }
}

/** True for rules that watch for too few events: a group that stops logging must still be counted. */
export function watchesAbsence(op: AlertOp): boolean {
  return op === '<' || op === '<=';
}

/**
 * Counting up to this many decides `count op threshold` exactly for every op, so counts bounded
 * by it (a store's `totalBound`) never make a rule fire or resolve wrongly.
 */
export function decidingBound(threshold: number): number {
  return Math.max(1, Math.floor(threshold) + 1);
}
