import { formatQuery, parseQuery, QueryUnprintableError } from '../../../core/query/index.ts';
import type { AlertInstance } from '../evaluate/alertInstance.ts';
import { andAll } from '../evaluate/groupCounts.ts';
import type { AlertRule } from '../rules/alertRule.ts';
import { groupField, groupTerm } from '../rules/groupFields.ts';

/**
 * The web UI's search view of the events behind an alert (backend/ui/public/state.js reads the
 * hash): the rule's query narrowed to the alert's group, from one window before the condition
 * started to hold until the evaluation that notified.
 */
export function searchLink(
  rule: Pick<AlertRule, 'query' | 'windowMs'>,
  alert: Pick<AlertInstance, 'group' | 'activeSince' | 'evaluatedAt'>,
): string {
  const params = new URLSearchParams();
  const q = linkQuery(rule, alert);
  if (q !== '') params.set('q', q);
  params.set('from', new Date(alert.activeSince - rule.windowMs).toISOString());
  params.set('to', new Date(alert.evaluatedAt).toISOString());
  return `/#${params}`;
}

function linkQuery(rule: Pick<AlertRule, 'query'>, alert: Pick<AlertInstance, 'group'>): string {
  // The alert's own group fields, not the rule's: a rule changed since may group differently.
  const labels = Object.keys(alert.group);
  // Without groups the query stays as the user wrote it.
  if (labels.length === 0) return rule.query.trim();
  try {
    const terms = labels.map((label) => groupTerm(groupField(label), alert.group[label]));
    return formatQuery(andAll([parseQuery(rule.query), ...terms]));
  } catch (error) {
    // A group value no query can spell (formatQuery refuses it): the rule's own query is still a useful link.
    if (error instanceof QueryUnprintableError) return rule.query.trim();
    throw error;
  }
}
