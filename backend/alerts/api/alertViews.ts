import type { RuleStatus } from '../../../core/ports/alertStore.ts';
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

/**
 * A rule with the fields sluice.yaml uses, its source, its overall state, its last evaluation, its
 * silence and its alerts. `statuses` are the rule's in the tenants shown (a sluice.yaml rule runs in
 * each): the latest evaluation and the latest silence among them are shown.
 */
export function ruleView(
  rule: AlertRule,
  alerts: readonly AlertInstance[],
  linkBase: string,
  statuses: readonly RuleStatus[] = [],
  now = Date.now(),
) {
  let last: RuleStatus['lastEvaluation'] = null;
  let silencedUntil: number | null = null;
  for (const s of statuses) {
    if (s.lastEvaluation !== null && (last === null || s.lastEvaluation.at > last.at))
      last = s.lastEvaluation;
    if (
      s.silencedUntil !== null &&
      s.silencedUntil > now &&
      (silencedUntil === null || s.silencedUntil > silencedUntil)
    )
      silencedUntil = s.silencedUntil;
  }
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
    last_evaluation:
      last === null ? null : { at: new Date(last.at).toISOString(), count: last.count, error: last.error },
    silenced_until: silencedUntil === null ? null : new Date(silencedUntil).toISOString(),
    alerts: alerts.map((a) => alertView(rule, a, linkBase)),
  };
}

/** The alerts among `alerts` that belong to `rule` (a sluice.yaml rule has some in every tenant). */
export function alertsOf(rule: AlertRule, alerts: readonly AlertInstance[]): AlertInstance[] {
  return alerts.filter((a) => a.rule === rule.name && (rule.tenant === null || a.tenant === rule.tenant));
}

/** The statuses among `statuses` that belong to `rule` (a sluice.yaml rule has one in every tenant). */
export function statusesOf(rule: AlertRule, statuses: readonly RuleStatus[]): RuleStatus[] {
  return statuses.filter((s) => s.rule === rule.name && (rule.tenant === null || s.tenant === rule.tenant));
}
