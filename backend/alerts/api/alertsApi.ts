import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { KeyRing } from '../../../core/auth/apiKeys.ts';
import { ApiError } from '../../../core/http/apiError.ts';
import { type AuthEnv, hasRole, requireRole } from '../../../core/http/auth.ts';
import { apiErrorHandler } from '../../../core/http/errorHandler.ts';
import type { Logger } from '../../../core/log/logger.ts';
import type { AlertStore, RuleStatus, StoredRule } from '../../../core/ports/alertStore.ts';
import type { AlertInstance } from '../evaluate/alertInstance.ts';
import type { AlertRule } from '../rules/alertRule.ts';
import type { RuleCatalog } from '../rules/ruleCatalog.ts';
import { alertsScope, ruleTenant } from './alertsScope.ts';
import { alertsOf, alertView, ruleView, statusesOf } from './alertViews.ts';
import { parseRuleBody } from './ruleBody.ts';
import { silenceUntil } from './silenceBody.ts';

export interface AlertsApiDeps {
  keys: KeyRing;
  catalog: RuleCatalog;
  store: AlertStore;
  /** Names of the `alerts.notify` targets, which rules may name. */
  targets: readonly string[];
  /** Put before search links (e.g. https://logs.example.com); '' leaves paths. */
  linkBase: string;
  now: () => number;
  log: Logger;
}

const MAX_BODY = 64 * 1024;

/**
 * The alerts routes of contracts.md §2, to mount on the query API. Reading (rules, alerts) needs the
 * read role; changing rules needs admin, as auth.keys documents (`admin`: alert rules, retention),
 * since a rule costs every evaluation a search and can page people. Rules from sluice.yaml are
 * read-only here (409), so the file stays the one truth for them.
 */
export function createAlertsApi(deps: AlertsApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.onError(apiErrorHandler(deps.log));
  const read = requireRole(deps.keys, ['read']);
  const admin = requireRole(deps.keys, ['admin']);
  const limit = bodyLimit({
    maxSize: MAX_BODY,
    onError: () => {
      throw new ApiError(413, 'too_large', `a rule is at most ${MAX_BODY / 1024} KiB of JSON`);
    },
  });

  app.get('/api/v1/alerts/rules', read, async (c) => {
    const principal = c.get('principal');
    const scope = alertsScope(principal, c.req.query('tenant'));
    const [rules, alerts, statuses] = await Promise.all([
      deps.catalog.list(scope.tenant),
      deps.store.listAlerts(scope.tenant),
      deps.store.listRuleStatus(scope.tenant),
    ]);
    return c.json({
      rules: rules.map((rule) => fullView(rule, alerts, statuses)),
      // Whether this key may create, change, delete and silence rules (the UI shows those controls only then).
      can_edit: hasRole(principal, 'admin'),
    });
  });

  app.get('/api/v1/alerts/rules/:name', read, async (c) => {
    const principal = c.get('principal');
    const scope = alertsScope(principal, c.req.query('tenant'));
    const rule = await findRule(ruleTenant(principal, c.req.query('tenant')), c.req.param('name'));
    const [alerts, statuses] = await Promise.all([
      deps.store.listAlerts(scope.tenant),
      deps.store.listRuleStatus(scope.tenant),
    ]);
    return c.json(fullView(rule, alerts, statuses));
  });

  app.put('/api/v1/alerts/rules/:name/silence', admin, limit, async (c) => {
    const tenant = ruleTenant(c.get('principal'), c.req.query('tenant'));
    const rule = await findRule(tenant, c.req.param('name'));
    const until = silenceUntil(await jsonBody(c), deps.now());
    await deps.store.setSilence(tenant, rule.name, until);
    deps.log.info('alert rule silenced', {
      tenant,
      rule: rule.name,
      until: new Date(until).toISOString(),
      by: c.get('principal').name,
    });
    return c.json(await tenantView(rule, tenant));
  });

  app.delete('/api/v1/alerts/rules/:name/silence', admin, async (c) => {
    const tenant = ruleTenant(c.get('principal'), c.req.query('tenant'));
    const rule = await findRule(tenant, c.req.param('name'));
    await deps.store.setSilence(tenant, rule.name, null);
    deps.log.info('alert rule silence ended', { tenant, rule: rule.name, by: c.get('principal').name });
    return c.json(await tenantView(rule, tenant));
  });

  app.post('/api/v1/alerts/rules', admin, limit, async (c) => {
    const parsed = parseRuleBody(await jsonBody(c), { targets: deps.targets, nowMs: deps.now() });
    const tenant = ruleTenant(c.get('principal'), requestedTenant(c, parsed.tenant));
    const rule: StoredRule = { ...parsed.rule, tenant };
    if (deps.catalog.configRule(rule.name) !== undefined || !(await deps.store.insertRule(rule))) {
      const where =
        deps.catalog.configRule(rule.name) !== undefined ? 'sluice.yaml has' : `tenant "${tenant}" has`;
      throw new ApiError(
        409,
        'rule_exists',
        `${where} a rule named "${rule.name}" already; choose another name`,
      );
    }
    deps.log.info('alert rule created', { tenant, rule: rule.name, by: c.get('principal').name });
    c.header('Location', `/api/v1/alerts/rules/${encodeURIComponent(rule.name)}?tenant=${tenant}`);
    return c.json(ruleView(rule, [], deps.linkBase), 201);
  });

  app.put('/api/v1/alerts/rules/:name', admin, limit, async (c) => {
    const name = c.req.param('name');
    refuseConfigRule(name);
    const parsed = parseRuleBody(await jsonBody(c), { targets: deps.targets, nowMs: deps.now() });
    if (parsed.rule.name !== name) {
      throw new ApiError(
        400,
        'rename_not_supported',
        `the body names "${parsed.rule.name}" but the path "${name}"; to rename a rule, create the new one and delete the old`,
      );
    }
    const tenant = ruleTenant(c.get('principal'), requestedTenant(c, parsed.tenant));
    const rule: StoredRule = { ...parsed.rule, tenant };
    if (!(await deps.store.replaceRule(rule))) throw noRule(tenant, name);
    deps.log.info('alert rule replaced', { tenant, rule: name, by: c.get('principal').name });
    return c.json(await tenantView(rule, tenant));
  });

  app.delete('/api/v1/alerts/rules/:name', admin, async (c) => {
    const name = c.req.param('name');
    refuseConfigRule(name);
    const tenant = ruleTenant(c.get('principal'), c.req.query('tenant'));
    if (!(await deps.store.deleteRule(tenant, name))) throw noRule(tenant, name);
    // Its firing alerts resolve (and notify) at the next evaluation.
    deps.log.info('alert rule deleted', { tenant, rule: name, by: c.get('principal').name });
    return c.body(null, 204);
  });

  app.get('/api/v1/alerts/firing', read, async (c) => {
    const scope = alertsScope(c.get('principal'), c.req.query('tenant'));
    const [rules, alerts] = await Promise.all([
      deps.catalog.list(scope.tenant),
      deps.store.listAlerts(scope.tenant),
    ]);
    const active = alerts
      .filter((a) => a.state === 'firing' || a.state === 'pending')
      .sort(mostPressingFirst);
    const views = [];
    for (const alert of active) {
      const rule = ruleOf(rules, alert);
      if (rule !== undefined) views.push(alertView(rule, alert, deps.linkBase)); // rule just deleted: retired at the next evaluation
    }
    return c.json({ alerts: views });
  });

  function fullView(rule: AlertRule, alerts: AlertInstance[], statuses: RuleStatus[]) {
    return ruleView(rule, alertsOf(rule, alerts), deps.linkBase, statusesOf(rule, statuses), deps.now());
  }

  async function tenantView(rule: AlertRule, tenant: string) {
    const [alerts, statuses] = await Promise.all([
      deps.store.listAlerts(tenant),
      deps.store.listRuleStatus(tenant),
    ]);
    return fullView(rule, alerts, statuses);
  }

  async function findRule(tenant: string, name: string): Promise<AlertRule> {
    const rule = await deps.catalog.find(tenant, name);
    if (rule === null) throw noRule(tenant, name);
    return rule;
  }

  function refuseConfigRule(name: string): void {
    if (deps.catalog.configRule(name) === undefined) return;
    throw new ApiError(
      409,
      'rule_from_config',
      `rule "${name}" comes from sluice.yaml (alerts.rules) and is read-only here; change it in sluice.yaml and restart`,
    );
  }

  return app;
}

async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'send the rule as JSON with "Content-Type: application/json"',
    );
  }
  try {
    return await c.req.json();
  } catch (error) {
    if (error instanceof ApiError) throw error; // the body limit's 413
    throw new ApiError(400, 'bad_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The tenant a write names, in the body or as `?tenant=`; both must agree. */
function requestedTenant(c: Context, fromBody: string | undefined): string | undefined {
  const fromQuery = c.req.query('tenant');
  if (fromBody !== undefined && fromQuery !== undefined && fromQuery !== '' && fromQuery !== fromBody) {
    throw new ApiError(
      400,
      'tenant_mismatch',
      `the body names tenant "${fromBody}" but ?tenant= names "${fromQuery}"`,
    );
  }
  return fromBody ?? fromQuery;
}

function noRule(tenant: string, name: string): ApiError {
  return new ApiError(404, 'rule_not_found', `tenant "${tenant}" has no alert rule named "${name}"`);
}

function ruleOf(rules: readonly AlertRule[], alert: AlertInstance): AlertRule | undefined {
  return rules.find((r) => r.name === alert.rule && (r.tenant === null || r.tenant === alert.tenant));
}

function mostPressingFirst(a: AlertInstance, b: AlertInstance): number {
  if (a.state !== b.state) return a.state === 'firing' ? -1 : 1;
  return a.since - b.since;
}
