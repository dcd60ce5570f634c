import type { AlertInstance, AlertKey } from '../evaluate/alertInstance.ts';
import type { AlertRule } from '../rules/alertRule.ts';

/** A rule created through the API: always one tenant's. */
export type StoredRule = AlertRule & { tenant: string; source: 'api' };

/**
 * AlertStore port: rules created through the API, and the state of alerts, so a restart (or another
 * query process taking over) neither forgets a firing alert nor notifies it twice. SQLite in
 * standalone, PostgreSQL when several query processes share the rules.
 */
export interface AlertStore {
  /** Creates tables as needed (idempotent). */
  init(): Promise<void>;
  /** API rules of one tenant, or of every tenant (null), ordered by tenant then name. */
  listRules(tenant: string | null): Promise<StoredRule[]>;
  getRule(tenant: string, name: string): Promise<StoredRule | null>;
  /** False, changing nothing, when the tenant already has a rule of that name. */
  insertRule(rule: StoredRule): Promise<boolean>;
  /** False when the tenant has no rule of that name. */
  replaceRule(rule: StoredRule): Promise<boolean>;
  deleteRule(tenant: string, name: string): Promise<boolean>;
  /** Alerts that are not inactive, of one tenant or every tenant (null). */
  listAlerts(tenant: string | null): Promise<AlertInstance[]>;
  /** Writes an evaluation's changes in one transaction: removals first, so a key removed and written again stays. */
  saveAlerts(changes: { upsert: AlertInstance[]; remove: AlertKey[] }): Promise<void>;
  /**
   * Whether this process is the one that evaluates rules. Several query processes share one store;
   * only one may evaluate, or every receiver would get each notification once per process.
   */
  lead(): Promise<boolean>;
  close(): Promise<void>;
}

/** A stored row that does not decode: written by something else, or damaged. */
export class StoredAlertError extends Error {
  readonly code = 'alert_store_corrupt';

  constructor(what: string, reason: string) {
    super(`alert store: ${what} does not decode (${reason}); fix or delete that row`);
    this.name = 'StoredAlertError';
  }
}
