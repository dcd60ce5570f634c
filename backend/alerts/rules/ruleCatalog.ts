import type { Logger } from '../../../core/log/logger.ts';
import type { AlertStore, StoredRule } from '../../../core/ports/alertStore.ts';
import type { AlertRule } from './alertRule.ts';

/**
 * Every rule in one place: sluice.yaml's (the same for every tenant, read-only) and the API's (one
 * tenant's each, in the AlertStore). Names are unique per tenant across both; should sluice.yaml
 * later gain a rule named like an API rule, the file wins and the API rule is left unevaluated.
 */
export interface RuleCatalog {
  configRule(name: string): AlertRule | undefined;
  /** The rules a tenant has (sluice.yaml's, then its own), or, for null, sluice.yaml's and every tenant's. */
  list(tenant: string | null): Promise<AlertRule[]>;
  find(tenant: string, name: string): Promise<AlertRule | null>;
}

export function createRuleCatalog(
  configRules: readonly AlertRule[],
  store: AlertStore,
  log: Logger,
): RuleCatalog {
  const byName = new Map(configRules.map((rule) => [rule.name, rule]));
  const warned = new Set<string>();
  const visible = (rule: StoredRule): boolean => {
    if (!byName.has(rule.name)) return true;
    const key = `${rule.tenant}\u0000${rule.name}`;
    if (!warned.has(key)) {
      warned.add(key);
      log.warn('an API alert rule has the name of a sluice.yaml rule; the sluice.yaml rule is used', {
        tenant: rule.tenant,
        rule: rule.name,
      });
    }
    return false;
  };

  return {
    configRule: (name) => byName.get(name),
    async list(tenant) {
      const stored = (await store.listRules(tenant)).filter(visible);
      return [...configRules, ...stored];
    },
    async find(tenant, name) {
      return byName.get(name) ?? (await store.getRule(tenant, name));
    },
  };
}
