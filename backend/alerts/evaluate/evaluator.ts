import type { Logger } from '../../../core/log/logger.ts';
import type { AlertStore, RuleEvaluation } from '../../../core/ports/alertStore.ts';
import type { SearchStore } from '../../../core/ports/searchStore.ts';
import type { AlertsMetrics } from '../alertsMetrics.ts';
import { notificationOf } from '../notify/alertNotification.ts';
import type { Notifier } from '../notify/notifier.ts';
import { type AlertRule, conditionHolds, watchesAbsence } from '../rules/alertRule.ts';
import type { RuleCatalog } from '../rules/ruleCatalog.ts';
import { ruleGroupFields, ruleQuery, sameGrouping } from '../rules/ruleChecks.ts';
import { type AbsenceWatch, createAbsenceWatch } from './absenceWatch.ts';
import { createAlertBook, ruleTenantKey } from './alertBook.ts';
import type { AlertInstance, AlertKey } from './alertInstance.ts';
import { type CountLimits, countGroups } from './groupCounts.ts';
import { transition } from './transition.ts';

export interface EvaluatorDeps {
  catalog: RuleCatalog;
  /** Tenants each sluice.yaml rule runs for. */
  tenants: () => readonly string[];
  search: SearchStore;
  store: AlertStore;
  notifier: Notifier;
  metrics: AlertsMetrics;
  log: Logger;
  now: () => number;
  limits: CountLimits;
  /** How long a `<`/`<=` rule keeps counting a group that stopped logging. */
  forgetGroupsAfterMs: number;
  /** Put before search links in notifications (e.g. https://logs.example.com); '' leaves paths. */
  linkBase: string;
}

export interface EvaluationReport {
  /** (rule, tenant) pairs evaluated, and those that failed (their alerts kept their state). */
  evaluated: number;
  failed: number;
  notifications: number;
  /** Notifications held back because their rule was silenced. */
  silenced: number;
  /** Set when the evaluation as a whole failed (rules or states could not be read or written). */
  error?: string;
}

/**
 * One evaluation of every rule for every tenant it applies to, one after the other (a slow store
 * slows this evaluation down; the loop makes sure evaluations never overlap). Each (rule, tenant)
 * fails on its own: its alerts keep their state rather than resolving because the store was away.
 */
export function createEvaluator(deps: EvaluatorDeps) {
  const { metrics, log } = deps;
  const book = createAlertBook();
  const watches = new Map<string, AbsenceWatch>();
  let loaded = false;
  let unsavedRemovals: AlertKey[] = [];
  /** Silenced (tenant, rule) keys and until when, read at the start of each evaluation. */
  let silences = new Map<string, number>();
  let silencedCount = 0;

  /** Sends a notification unless its rule is silenced in that tenant; whether it was sent. */
  function notify(rule: AlertRule, tenant: string, notification: ReturnType<typeof notificationOf>): boolean {
    const until = silences.get(ruleTenantKey(tenant, rule.name));
    if (until !== undefined && until > deps.now()) {
      silencedCount++;
      log.info('alert notification held back: the rule is silenced', {
        rule: rule.name,
        tenant,
        until: new Date(until).toISOString(),
      });
      return false;
    }
    deps.notifier.notify(notification, rule.notify);
    return true;
  }

  async function evaluate(): Promise<EvaluationReport> {
    const started = performance.now();
    const report: EvaluationReport = { evaluated: 0, failed: 0, notifications: 0, silenced: 0 };
    try {
      if (!loaded) {
        // Starting (this process took the alerts lease): continue from the stored states, so an
        // alert that was firing is not announced again and one that cleared meanwhile resolves.
        book.load(await deps.store.listAlerts(null));
        loaded = true;
      }
      const upsert: AlertInstance[] = [];
      const remove: AlertKey[] = [...unsavedRemovals];
      const rules = await deps.catalog.list(null);
      silences = new Map();
      for (const status of await deps.store.listRuleStatus(null))
        if (status.silencedUntil !== null)
          silences.set(ruleTenantKey(status.tenant, status.rule), status.silencedUntil);
      silencedCount = 0;
      const evaluations: RuleEvaluation[] = [];
      const live = new Set<string>();
      for (const rule of rules) {
        for (const tenant of rule.tenant === null ? deps.tenants() : [rule.tenant]) {
          live.add(ruleTenantKey(tenant, rule.name));
          report.evaluated++;
          const at = deps.now();
          try {
            const outcome = await evaluateRule(rule, tenant, upsert, remove);
            report.notifications += outcome.notifications;
            evaluations.push({ tenant, rule: rule.name, at, count: outcome.count, error: null });
          } catch (error) {
            evaluations.push({ tenant, rule: rule.name, at, count: null, error: (error as Error).message });
            report.failed++;
            metrics.ruleErrors.inc();
            log.warn('alert rule evaluation failed; its alerts keep their state', {
              rule: rule.name,
              tenant,
              error: (error as Error).message,
            });
          }
        }
      }
      report.notifications += retire(rules, live, remove);
      unsavedRemovals = remove;
      await deps.store.saveAlerts({ upsert, remove });
      unsavedRemovals = [];
      report.silenced = silencedCount;
      // For the alerts view only: losing these to a crash loses nothing the next evaluation does not redo.
      await deps.store.recordEvaluations(evaluations);
      metrics.evaluations.inc({ result: 'ok' });
    } catch (error) {
      report.error = (error as Error).message;
      metrics.evaluations.inc({ result: 'error' });
      log.error('alert evaluation failed; retrying at the next one', { error: report.error });
    } finally {
      const all = book.all();
      metrics.firing.set(all.filter((a) => a.state === 'firing').length);
      metrics.pending.set(all.filter((a) => a.state === 'pending').length);
      metrics.evaluationSeconds.observe((performance.now() - started) / 1000);
    }
    return report;
  }

  async function evaluateRule(rule: AlertRule, tenant: string, upsert: AlertInstance[], remove: AlertKey[]) {
    const now = deps.now();
    const alerts = book.of(tenant, rule.name);
    const fields = ruleGroupFields(rule);
    const watch = watchesAbsence(rule.op) && fields.length > 0 ? watchOf(tenant, rule) : undefined;
    let notifications = 0;
    let largest = 0;
    const regrouped = [...alerts.values()].filter((a) => !sameGrouping(Object.keys(a.group), rule.groupBy));
    if (regrouped.length > 0) {
      // The rule now splits events differently (changed through the API, or in sluice.yaml across a
      // restart): those groups no longer exist, so their alerts end.
      notifications += retireAll(book.lastRule(tenant, rule.name) ?? rule, tenant, regrouped, alerts, remove);
      watches.delete(ruleTenantKey(tenant, rule.name));
    }
    book.evaluatedUnder(tenant, rule);
    const result = await countGroups({
      search: deps.search,
      tenant,
      query: ruleQuery(rule, now),
      range: { from: now - rule.windowMs, to: now },
      fields,
      threshold: rule.threshold,
      known: [...alerts.values(), ...(watch?.groups() ?? [])],
      limits: deps.limits,
    });
    if (result.droppedGroups > 0) metrics.groupsDropped.inc(undefined, result.droppedGroups);
    for (const counted of result.groups) {
      largest = Math.max(largest, counted.count);
      const prev = alerts.get(counted.groupKey) ?? null;
      const holds = conditionHolds(rule.op, counted.count, rule.threshold);
      const step = transition(
        prev,
        { rule: rule.name, tenant, ...counted, holds, countExact: counted.exact, now },
        rule.forMs,
      );
      if (step.next !== null) {
        alerts.set(counted.groupKey, step.next);
        upsert.push(step.next);
      } else if (prev !== null) {
        alerts.delete(counted.groupKey);
        remove.push(prev);
      }
      if (step.notify !== null && step.next !== null) {
        const sent = notify(
          rule,
          tenant,
          notificationOf(rule, step.next, step.notify, { linkBase: deps.linkBase }),
        );
        if (sent) notifications++;
      }
      if (watch !== undefined && counted.count > 0) watch.saw(counted, now);
    }
    watch?.forget(now);
    return { notifications, count: largest };
  }

  function watchOf(tenant: string, rule: AlertRule): AbsenceWatch {
    const key = ruleTenantKey(tenant, rule.name);
    let watch = watches.get(key);
    if (watch === undefined) {
      watch = createAbsenceWatch({
        forgetAfterMs: deps.forgetGroupsAfterMs,
        maxGroups: deps.limits.maxGroups,
      });
      watches.set(key, watch);
    }
    return watch;
  }

  /** Ends the alerts of rules that were deleted, or of tenants a sluice.yaml rule no longer runs for. */
  function retire(rules: readonly AlertRule[], live: Set<string>, remove: AlertKey[]): number {
    let notifications = 0;
    const current = new Map(rules.map((r) => [r.name, r]));
    for (const { tenant, rule, alerts } of book.entries()) {
      if (live.has(ruleTenantKey(tenant, rule))) continue;
      const last = book.lastRule(tenant, rule) ?? current.get(rule);
      if (last === undefined) {
        // Deleted while no process was evaluating: what the notification would say is gone with it.
        log.info('dropping alerts of a rule that no longer exists', { rule, tenant, alerts: alerts.size });
        for (const a of alerts.values()) remove.push(a);
      } else {
        notifications += retireAll(last, tenant, [...alerts.values()], alerts, remove);
      }
      book.drop(tenant, rule);
      watches.delete(ruleTenantKey(tenant, rule));
    }
    return notifications;
  }

  /** Firing alerts resolve (receivers must not keep them forever); pending ones just end. */
  function retireAll(
    rule: AlertRule,
    tenant: string,
    ending: readonly AlertInstance[],
    alerts: Map<string, AlertInstance>,
    remove: AlertKey[],
  ): number {
    let notifications = 0;
    const now = deps.now();
    for (const alert of ending) {
      alerts.delete(alert.groupKey);
      remove.push(alert);
      if (alert.state !== 'firing') continue;
      const resolved: AlertInstance = { ...alert, state: 'resolved', since: now, evaluatedAt: now };
      const notification = notificationOf(rule, resolved, 'resolved', {
        linkBase: deps.linkBase,
        reason: 'rule_changed',
      });
      if (notify(rule, tenant, notification)) notifications++;
      log.info('alert resolved because its rule changed or was removed', { rule: rule.name, tenant });
    }
    return notifications;
  }

  return { evaluate };
}

export type Evaluator = ReturnType<typeof createEvaluator>;
