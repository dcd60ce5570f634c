/**
 * An alert rule as Sluice evaluates it, whichever way it was defined: in sluice.yaml (`alerts.rules`,
 * read-only through the API, applied to every tenant) or through the API (one tenant's, kept in the
 * AlertStore). Durations are milliseconds here; the API and the YAML write them as `5m`.
 */

export const OPS = ['>', '>=', '<', '<='] as const;
export type AlertOp = (typeof OPS)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type RuleSource = 'config' | 'api';

export interface AlertRule {
  name: string;
  /** The tenant of an API rule; null for a sluice.yaml rule, which every tenant gets its own copy of. */
  tenant: string | null;
  source: RuleSource;
  /** Query-language text (contracts.md §3); '' counts every event. */
  query: string;
  windowMs: number;
  op: AlertOp;
  threshold: number;
  /** How long the condition must hold before the alert fires. */
  forMs: number;
  /** Fields splitting the count; each group is an alert of its own. */
  groupBy: string[];
  severity: Severity;
  /** Names of `alerts.notify` targets; null means every target. */
  notify: string[] | null;
}

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
