import type { Hono } from 'hono';
import { createKeyRing, type KeyRing } from '../../core/auth/apiKeys.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { AlertStore } from '../../core/ports/alertStore.ts';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import type { ServerConfig } from '../config/schema.ts';
import { type AlertsMetrics, createAlertsMetrics } from './alertsMetrics.ts';
import { createAlertsApi } from './api/alertsApi.ts';
import { createEvaluationLoop } from './evaluate/evaluationLoop.ts';
import { createEvaluator, type EvaluationReport } from './evaluate/evaluator.ts';
import { type CountLimits, DEFAULT_COUNT_LIMITS } from './evaluate/groupCounts.ts';
import { DEFAULT_DELIVERY, type DeliveryOptions } from './notify/deliveryQueue.ts';
import { createNotifier } from './notify/notifier.ts';
import { targetsFromConfig } from './notify/targets.ts';
import { configuredTenants, rulesFromConfig } from './rules/configRules.ts';
import { createRuleCatalog } from './rules/ruleCatalog.ts';

export interface AlertingOptions {
  config: Pick<ServerConfig, 'alerts' | 'auth' | 'proxy'>;
  search: SearchStore;
  /** Opened and initialized by the caller (openAlertStore), who also closes it after stop(). */
  store: AlertStore;
  log: Logger;
  registry: MetricsRegistry;
  /** Registered once per process; by default created here in `registry` (so only once per registry). */
  metrics?: AlertsMetrics;
  now?: () => number;
  /** The query API's key ring; by default one is built from `config.auth`. */
  keys?: KeyRing;
  /** Tenants sluice.yaml rules run for; by default every tenant the config can ingest under. */
  tenants?: () => readonly string[];
  /** Base URL of the web UI for links in notifications, e.g. https://logs.example.com; default: paths only. */
  linkBase?: string;
  limits?: Partial<CountLimits>;
  delivery?: Partial<DeliveryOptions>;
  /** How long a `<`/`<=` rule with group_by keeps counting a group that stopped logging. Default 24h. */
  forgetGroupsAfterMs?: number;
  /** False: no timer; evaluations happen only through evaluateNow() (tests, one-shot tools). */
  schedule?: boolean;
}

export interface AlertEvaluation {
  /** Runs one evaluation after the running one, if any; resolves with what it did. */
  evaluateNow(): Promise<EvaluationReport>;
  /** Resolves when every queued notification was delivered or given up on. */
  notificationsIdle(): Promise<void>;
  /** Stops evaluating, waits for the running evaluation, abandons undelivered notifications. */
  stop(): Promise<void>;
}

export interface Alerting extends AlertEvaluation {
  /** The alerts routes (contracts.md §2), to mount on the query API: `app.route('/', alerting.app)`. */
  app: Hono<AuthEnv>;
}

/** The parts both halves of alerting build from the config: the rule catalog, targets and link base. */
function alertingBasics(options: AlertingOptions) {
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'alerts' });
  const alerts = options.config.alerts;
  const targets = targetsFromConfig(alerts);
  const catalog = createRuleCatalog(rulesFromConfig(alerts, now()), options.store, log);
  const linkBase = (options.linkBase ?? '').replace(/\/+$/, '');
  return { now, log, alerts, targets, catalog, linkBase };
}

/**
 * The alerts routes (contracts.md §2) over the alert store, for the query role to mount. Throws
 * AlertConfigError when a sluice.yaml rule cannot run, so start-up stops with the rule's name.
 */
export function createAlertsRoutes(options: AlertingOptions): Hono<AuthEnv> {
  const { now, log, targets, catalog, linkBase } = alertingBasics(options);
  return createAlertsApi({
    keys: options.keys ?? createKeyRing(options.config.auth.keys, options.config.auth.default_tenant),
    catalog,
    store: options.store,
    targets: targets.map((t) => t.name),
    linkBase,
    now,
    log,
  });
}

/**
 * Evaluation: rules from sluice.yaml and the API, evaluated every `alerts.evaluate_every`, notifying
 * on firing and on resolving. It starts from the stored alert states, so a process taking over from
 * another neither announces a firing alert again nor misses one that resolved meanwhile. Run by the
 * `alerts` role in the one process holding its lease.
 */
export function startAlertEvaluation(options: AlertingOptions): AlertEvaluation {
  const { now, log, alerts, targets, catalog, linkBase } = alertingBasics(options);
  const metrics = options.metrics ?? createAlertsMetrics(options.registry);
  const tenants = configuredTenants(options.config);
  const notifier = createNotifier(targets, { ...DEFAULT_DELIVERY, ...options.delivery }, { log, metrics });
  const evaluator = createEvaluator({
    catalog,
    tenants: options.tenants ?? (() => tenants),
    search: options.search,
    store: options.store,
    notifier,
    metrics,
    log,
    now,
    limits: { ...DEFAULT_COUNT_LIMITS, ...options.limits },
    forgetGroupsAfterMs: options.forgetGroupsAfterMs ?? 86_400_000,
    linkBase,
  });
  const loop = createEvaluationLoop({
    everyMs: alerts.evaluate_every,
    evaluate: evaluator.evaluate,
    skipped: metrics.evaluationsSkipped,
  });
  if (options.schedule !== false) loop.start();
  log.info('alert evaluation started', {
    rules_from_config: alerts.rules.length,
    targets: targets.length,
    evaluate_every_ms: alerts.evaluate_every,
  });
  return {
    evaluateNow: () => loop.runNow<EvaluationReport>(),
    notificationsIdle: () => notifier.idle(),
    async stop() {
      await loop.stop();
      await notifier.stop();
    },
  };
}

/** Routes and evaluation in one (tests, one-process tools); a server runs them as two roles. */
export function startAlerting(options: AlertingOptions): Alerting {
  const app = createAlertsRoutes(options);
  return { app, ...startAlertEvaluation(options) };
}
