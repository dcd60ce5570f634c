import { parseQuery, type QueryNode } from '../../../core/query/index.ts';
import type { AlertRule } from './alertRule.ts';
import { type GroupField, groupField } from './groupFields.ts';

/**
 * The query of a rule, parsed at `nowMs`. Rules are parsed again at every evaluation because a
 * relative time in the query (`ts>=now-1h`) means "now" at evaluation time, not at definition time.
 * Throws the parser's QueryError (with `position`) for a bad query.
 */
export function ruleQuery(rule: Pick<AlertRule, 'query'>, nowMs: number): QueryNode {
  return parseQuery(rule.query, { nowMs });
}

export function ruleGroupFields(rule: Pick<AlertRule, 'groupBy'>): GroupField[] {
  return rule.groupBy.map(groupField);
}

/** Why `count op threshold` can never hold, or undefined when it can. */
export function neverHolds(op: AlertRule['op'], threshold: number): string | undefined {
  if (op === '<' && threshold <= 0) return 'a count is never below 0 or less, so this rule could never fire';
  if (op === '<=' && threshold < 0) return 'a count is never negative, so this rule could never fire';
  return undefined;
}

/** Whether two group_by lists split events the same way (their alerts carry over across an update). */
export function sameGrouping(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((field, i) => field === b[i]);
}
