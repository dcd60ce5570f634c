import type { AlertRule } from '../rules/alertRule.ts';
import type { AlertInstance } from './alertInstance.ts';

/** The leader's alerts in memory, by (tenant, rule), with the rule each was last evaluated under. */
export interface AlertBook {
  load(alerts: readonly AlertInstance[]): void;
  clear(): void;
  /** The alerts of one rule for one tenant (an empty map when it has none). */
  of(tenant: string, rule: string): Map<string, AlertInstance>;
  /** Remembers the definition an evaluation used, for notifications once the rule is gone. */
  evaluatedUnder(tenant: string, rule: AlertRule): void;
  lastRule(tenant: string, rule: string): AlertRule | undefined;
  /** Every (tenant, rule) holding alerts. */
  entries(): Array<{ tenant: string; rule: string; alerts: Map<string, AlertInstance> }>;
  drop(tenant: string, rule: string): void;
  all(): AlertInstance[];
}

export function ruleTenantKey(tenant: string, rule: string): string {
  return `${tenant}\u0000${rule}`;
}

export function createAlertBook(): AlertBook {
  const books = new Map<string, { tenant: string; rule: string; alerts: Map<string, AlertInstance> }>();
  const rules = new Map<string, AlertRule>();
  const entry = (tenant: string, rule: string) => {
    const key = ruleTenantKey(tenant, rule);
    let found = books.get(key);
    if (found === undefined) {
      found = { tenant, rule, alerts: new Map() };
      books.set(key, found);
    }
    return found;
  };
  return {
    load(alerts) {
      for (const a of alerts) entry(a.tenant, a.rule).alerts.set(a.groupKey, a);
    },
    clear() {
      books.clear();
      rules.clear();
    },
    of: (tenant, rule) => entry(tenant, rule).alerts,
    evaluatedUnder(tenant, rule) {
      rules.set(ruleTenantKey(tenant, rule.name), rule);
    },
    lastRule: (tenant, rule) => rules.get(ruleTenantKey(tenant, rule)),
    entries: () => [...books.values()],
    drop(tenant, rule) {
      books.delete(ruleTenantKey(tenant, rule));
      rules.delete(ruleTenantKey(tenant, rule));
    },
    all: () => [...books.values()].flatMap((b) => [...b.alerts.values()]),
  };
}
