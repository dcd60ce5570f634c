import { formatDuration } from '../../../core/units/duration.ts';
import { type AlertInstance, worstState } from '../evaluate/alertInstance.ts';
import { searchLink } from '../notify/searchLink.ts';
import type { AlertRule } from '../rules/alertRule.ts';

/** An alert as the API shows it (snake_case, RFC 3339 times, like the rest of contracts.md §2). */
export function alertView(rule: AlertRule, alert: AlertInstance, linkBase: string) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    rule: alert.rule,
    tenant: alert.tenant,
    group: alert.group,
    state: alert.state,
    severity: rule.severity,
    count: alert.count,
    count_relation: alert.countExact ? 'eq' : 'gte',
    op: rule.op,
    threshold: rule.threshold,
    since: iso(alert.since),
    active_since: iso(alert.activeSince),
    evaluated_at: iso(alert.evaluatedAt),
    search_url: linkBase + searchLink(rule, alert),
  };
}

/** A rule with the fields sluice.yaml uses, its source, its overall state and its alerts. */
export function ruleView(rule: AlertRule, alerts: readonly AlertInstance[], linkBase: string) {
  return {
    name: rule.name,
    tenant: rule.tenant,
    source: rule.source,
    query: rule.query,
    window: formatDuration(rule.windowMs),
    op: rule.op,
    threshold: rule.threshold,
    for: formatDuration(rule.forMs),
    group_by: rule.groupBy,
    severity: rule.severity,
    notify: rule.notify,
    state: worstState(alerts.map((a) => a.state)),
    alerts: alerts.map((a) => alertView(rule, a, linkBase)),
  };
}

/** The alerts among `alerts` that belong to `rule` (a sluice.yaml rule has some in every tenant). */
export function alertsOf(rule: AlertRule, alerts: readonly AlertInstance[]): AlertInstance[] {
  return alerts.filter((a) => a.rule === rule.name && (rule.tenant === null || a.tenant === rule.tenant));
}
