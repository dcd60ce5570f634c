import { formatDuration } from '../../../core/units/duration.ts';
import type { AlertInstance } from '../evaluate/alertInstance.ts';
import type { AlertRule } from '../rules/alertRule.ts';
import { searchLink } from './searchLink.ts';

/**
 * What a webhook receives (JSON POST), one per state change of one alert. `version` lets receivers
 * tell this shape from later ones. Times are RFC 3339.
 */
export interface AlertNotification {
  version: 1;
  rule: string;
  tenant: string;
  group: AlertInstance['group'];
  state: 'firing' | 'resolved';
  severity: AlertRule['severity'];
  count: number;
  /** 'gte' when the store counted only up to a bound. */
  count_relation: 'eq' | 'gte';
  op: AlertRule['op'];
  threshold: number;
  window: string;
  /** When the alert entered `state`. */
  since: string;
  /** When the condition started to hold. */
  active_since: string;
  evaluated_at: string;
  query: string;
  /** The matching events in the web UI: a path (`/#q=…&from=…&to=…`), absolute when a link base is set. */
  search_url: string;
  /** Why it resolved: the count went back (`condition_cleared`) or the rule was changed or deleted. */
  reason?: 'condition_cleared' | 'rule_changed';
}

export function notificationOf(
  rule: AlertRule,
  alert: AlertInstance,
  state: 'firing' | 'resolved',
  options: { linkBase: string; reason?: AlertNotification['reason'] },
): AlertNotification {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    version: 1,
    rule: rule.name,
    tenant: alert.tenant,
    group: alert.group,
    state,
    severity: rule.severity,
    count: alert.count,
    count_relation: alert.countExact ? 'eq' : 'gte',
    op: rule.op,
    threshold: rule.threshold,
    window: formatDuration(rule.windowMs),
    since: iso(alert.since),
    active_since: iso(alert.activeSince),
    evaluated_at: iso(alert.evaluatedAt),
    query: rule.query,
    search_url: options.linkBase + searchLink(rule, alert),
    ...(state === 'resolved' ? { reason: options.reason ?? 'condition_cleared' } : {}),
  };
}
