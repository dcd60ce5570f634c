import { QueryError } from '../../../core/query/index.ts';
import type { ServerConfig } from '../../config/schema.ts';
import type { AlertRule } from './alertRule.ts';
import { GroupFieldError } from './groupFields.ts';
import { neverHolds, ruleGroupFields, ruleQuery } from './ruleChecks.ts';

/** A rule in sluice.yaml that the config schema accepted but alerting cannot run; start-up stops. */
export class AlertConfigError extends Error {
  readonly code = 'alert_rule_invalid';
  readonly rule: string;

  constructor(rule: string, reason: string) {
    super(`alerts.rules "${rule}": ${reason}; fix it in sluice.yaml`);
    this.name = 'AlertConfigError';
    this.rule = rule;
  }
}

/**
 * The rules of `alerts.rules`, checked beyond what the config schema can see (the query parses,
 * group_by names fields, the condition can hold), so a broken rule stops start-up instead of failing
 * at every evaluation.
 */
export function rulesFromConfig(alerts: ServerConfig['alerts'], nowMs: number): AlertRule[] {
  return alerts.rules.map((entry) => {
    const rule: AlertRule = {
      name: entry.name,
      tenant: null,
      source: 'config',
      query: entry.query,
      windowMs: entry.window,
      op: entry.op,
      threshold: entry.threshold,
      forMs: entry.for,
      groupBy: [...entry.group_by],
      severity: entry.severity,
      notify: entry.notify === undefined ? null : [...entry.notify],
    };
    try {
      ruleQuery(rule, nowMs);
      ruleGroupFields(rule);
    } catch (error) {
      if (error instanceof QueryError) throw new AlertConfigError(rule.name, `query: ${error.message}`);
      if (error instanceof GroupFieldError) throw new AlertConfigError(rule.name, error.message);
      throw error;
    }
    const never = neverHolds(rule.op, rule.threshold);
    if (never !== undefined) throw new AlertConfigError(rule.name, never);
    return rule;
  });
}

/**
 * Tenants a sluice.yaml rule is evaluated for: every tenant events can arrive under. Tenants come
 * from keys (never from event bodies), proxy routes record access events under theirs, and without
 * keys everything lands in `auth.default_tenant`.
 */
export function configuredTenants(config: Pick<ServerConfig, 'auth' | 'proxy'>): string[] {
  const tenants = new Set<string>();
  for (const key of config.auth.keys) if (key.tenant !== undefined) tenants.add(key.tenant);
  for (const route of config.proxy.routes) tenants.add(route.tenant);
  if (config.auth.keys.length === 0) tenants.add(config.auth.default_tenant);
  return [...tenants].sort();
}
