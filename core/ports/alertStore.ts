// The data the store keeps is defined here, with the port, so core/ needs nothing from backend/.

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

/** One group's value of one field: typed as in the event, null when the event lacks the field. */
export type GroupValue = string | number | boolean | null;

/**
 * One alert: a rule's state for one tenant and one group. Inactive alerts are not kept at all;
 * `resolved` lasts one evaluation (long enough to be notified and seen) and then becomes inactive.
 */
export type AlertState = 'pending' | 'firing' | 'resolved';

export interface AlertInstance {
  rule: string;
  tenant: string;
  /** The group's values as JSON, in group_by order; '[]' for a rule without group_by. */
  groupKey: string;
  /** The group's values by field name; {} without group_by. */
  group: Record<string, GroupValue>;
  state: AlertState;
  /** When the condition started to hold (pending began); kept after resolving for the episode's link. */
  activeSince: number;
  /** When the alert entered `state`. */
  since: number;
  /** Matching events in the window at the last evaluation. */
  count: number;
  /** False when the store counted only up to a bound (the count is a lower bound). */
  countExact: boolean;
  evaluatedAt: number;
}

/** Identity of an alert across evaluations and in the store. */
export interface AlertKey {
  tenant: string;
  rule: string;
  groupKey: string;
}

/** One (tenant, rule) evaluation, as the evaluator records it for the alerts view. */
export interface RuleEvaluation {
  tenant: string;
  rule: string;
  at: number;
  /** The largest group's count (the rule's count without group_by); null when the evaluation failed. */
  count: number | null;
  /** Why the evaluation failed; null when it succeeded. */
  error: string | null;
}

/**
 * What is known of a rule in one tenant besides its definition: its last evaluation and its silence.
 * Kept apart from the rule so that sluice.yaml rules, which the store does not hold, have them too.
 */
export interface RuleStatus {
  tenant: string;
  rule: string;
  /** Null until the rule was first evaluated. */
  lastEvaluation: Omit<RuleEvaluation, 'tenant' | 'rule'> | null;
  /** Notifications of the rule are held back until this time (ms); null: not silenced. */
  silencedUntil: number | null;
}

/** A rule created through the API: always one tenant's. */
export type StoredRule = AlertRule & { tenant: string; source: 'api' };

/**
 * AlertStore port: rules created through the API, and the state of alerts, so a restart (or another
 * process taking the `alerts` lease over) neither forgets a firing alert nor notifies it twice. SQLite
 * in standalone, PostgreSQL when several processes share the rules.
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
  /** Keeps each rule's last evaluation (replacing the one before), leaving its silence as it is. */
  recordEvaluations(evaluations: RuleEvaluation[]): Promise<void>;
  /** Silences a rule in a tenant until `until` (ms), or ends its silence (null). */
  setSilence(tenant: string, rule: string, until: number | null): Promise<void>;
  /** Statuses of one tenant's rules, or every tenant's (null); deleteRule removes a rule's status too. */
  listRuleStatus(tenant: string | null): Promise<RuleStatus[]>;
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
