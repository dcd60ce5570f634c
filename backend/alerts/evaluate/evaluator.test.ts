import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { silentLogger } from '../../../core/log/logger.ts';
import { MetricsRegistry } from '../../../core/metrics/registry.ts';
import type { SearchStore } from '../../../core/ports/searchStore.ts';
import type { ServerConfig } from '../../config/schema.ts';
import { createAlertsMetrics } from '../alertsMetrics.ts';
import { configuredTenants, rulesFromConfig } from '../rules/configRules.ts';
import { createRuleCatalog } from '../rules/ruleCatalog.ts';
import {
  Clock,
  config,
  logEvent,
  MINUTE,
  openStores,
  recordingNotifier,
  SECOND,
  type Stores,
} from '../testing/alertFixtures.ts';
import { createEvaluator } from './evaluator.ts';
import { DEFAULT_COUNT_LIMITS } from './groupCounts.ts';

let stores: Stores | undefined;
afterEach(async () => {
  await stores?.cleanup();
  stores = undefined;
});

function evaluatorFor(cfg: ServerConfig, s: Stores, clock: Clock, search: SearchStore = s.search) {
  const notifier = recordingNotifier();
  const registry = new MetricsRegistry();
  const metrics = createAlertsMetrics(registry);
  const evaluator = createEvaluator({
    catalog: createRuleCatalog(rulesFromConfig(cfg.alerts, clock.now()), s.store, silentLogger),
    tenants: () => configuredTenants(cfg),
    search,
    store: s.store,
    notifier,
    metrics,
    log: silentLogger,
    now: clock.now,
    limits: DEFAULT_COUNT_LIMITS,
    forgetGroupsAfterMs: 86_400_000,
    linkBase: '',
  });
  const states = async () => (await s.store.listAlerts(null)).map((a) => [a.tenant, a.groupKey, a.state]);
  return { evaluator, notifier, metrics, states };
}

const ERRORS_RULE = `
alerts:
  rules:
    - { name: errors, query: "level>=error", window: 5m, op: ">", threshold: 2, for: 1m }
`;

describe('alert evaluation', () => {
  it('goes pending, fires after `for`, resolves, and notifies exactly once per transition', async () => {
    stores = await openStores();
    const clock = new Clock();
    const { evaluator, notifier, states } = evaluatorFor(config(ERRORS_RULE), stores, clock);
    const t = clock.now();
    await stores.search.index([
      logEvent('default', t - 30 * SECOND, { level: 'error' }),
      logEvent('default', t - 20 * SECOND, { level: 'error' }),
      logEvent('default', t - 10 * SECOND, { level: 'fatal' }),
      logEvent('default', t - 5 * SECOND, { level: 'info' }),
    ]);

    await evaluator.evaluate();
    assert.deepEqual(await states(), [['default', '[]', 'pending']]);
    clock.advance(30 * SECOND);
    await evaluator.evaluate();
    assert.deepEqual(await states(), [['default', '[]', 'pending']]);
    assert.equal(notifier.sent.length, 0);

    clock.advance(30 * SECOND);
    await evaluator.evaluate();
    assert.deepEqual(await states(), [['default', '[]', 'firing']]);
    clock.advance(30 * SECOND);
    await evaluator.evaluate();
    assert.deepEqual(
      notifier.sent.map((s) => [s.notification.state, s.notification.count]),
      [['firing', 3]],
    );

    clock.advance(5 * MINUTE); // the errors leave the window
    await evaluator.evaluate();
    assert.deepEqual(await states(), [['default', '[]', 'resolved']]);
    clock.advance(30 * SECOND);
    await evaluator.evaluate();
    assert.deepEqual(await states(), []);
    assert.deepEqual(
      notifier.sent.map((s) => [s.notification.state, s.notification.count]),
      [
        ['firing', 3],
        ['resolved', 0],
      ],
    );
    const firing = notifier.sent[0].notification;
    assert.equal(firing.rule, 'errors');
    assert.equal(firing.tenant, 'default');
    assert.equal(firing.since, new Date(t + MINUTE).toISOString());
    assert.equal(firing.active_since, new Date(t).toISOString());
    assert.match(firing.search_url, /^\/#q=level%3E%3Derror&from=/);
  });

  it('splits the count by group_by, each group firing on its own', async () => {
    stores = await openStores();
    const clock = new Clock();
    const cfg = config(`
alerts:
  rules:
    - { name: by-service, query: "level:error", window: 5m, threshold: 1, group_by: [service, attrs.region] }
`);
    const { evaluator, notifier, states } = evaluatorFor(cfg, stores, clock);
    const t = clock.now();
    await stores.search.index([
      logEvent('default', t - 3 * SECOND, { level: 'error', service: 'checkout', attrs: { region: 'eu' } }),
      logEvent('default', t - 2 * SECOND, { level: 'error', service: 'checkout', attrs: { region: 'eu' } }),
      logEvent('default', t - 2 * SECOND, { level: 'error', service: 'checkout', attrs: { region: 'us' } }),
      logEvent('default', t - 1 * SECOND, { level: 'error', service: 'payments' }),
      logEvent('default', t - 1 * SECOND, { level: 'error', service: 'payments' }),
      logEvent('default', t - 1 * SECOND, { level: 'info', service: 'search' }),
    ]);
    await evaluator.evaluate();
    assert.deepEqual(await states(), [
      ['default', '["checkout","eu"]', 'firing'],
      ['default', '["payments",null]', 'firing'],
    ]);
    const groups = notifier.sent.map((s) => [s.notification.group, s.notification.count]);
    assert.deepEqual(
      groups.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [
        [{ service: 'checkout', 'attrs.region': 'eu' }, 2],
        [{ service: 'payments', 'attrs.region': null }, 2],
      ],
    );
    const payments = notifier.sent.find((s) => s.notification.group.service === 'payments')!.notification;
    const q = new URLSearchParams(payments.search_url.slice(2)).get('q');
    assert.equal(q, 'level:error service:payments -region:*');
  });

  it('evaluates a sluice.yaml rule for each tenant separately', async () => {
    stores = await openStores();
    const clock = new Clock();
    const cfg = config(`
auth:
  keys:
    - { name: acme, key_sha256: "${'a'.repeat(64)}", tenant: acme, roles: [ingest] }
    - { name: globex, key_sha256: "${'b'.repeat(64)}", tenant: globex, roles: [ingest] }
alerts:
  rules: [ { name: any, window: 1m, threshold: 1 } ]
`);
    const { evaluator, notifier, states } = evaluatorFor(cfg, stores, clock);
    const t = clock.now();
    await stores.search.index([
      logEvent('acme', t - SECOND),
      logEvent('acme', t - SECOND),
      logEvent('globex', t - SECOND),
    ]);
    await evaluator.evaluate();
    assert.deepEqual(await states(), [['acme', '[]', 'firing']]);
    assert.deepEqual(
      notifier.sent.map((s) => [s.notification.tenant, s.notification.count]),
      [['acme', 2]],
    );
  });

  it('continues from stored states after a restart instead of firing again', async () => {
    stores = await openStores();
    const clock = new Clock();
    const cfg = config(ERRORS_RULE.replace('for: 1m', 'for: 0s'));
    await stores.search.index(
      [0, 1, 2].map((i) => logEvent('default', clock.now() - (i + 1) * SECOND, { level: 'error' })),
    );
    const before = evaluatorFor(cfg, stores, clock);
    await before.evaluator.evaluate();
    assert.equal(before.notifier.sent.length, 1);

    const after = evaluatorFor(cfg, stores, clock);
    clock.advance(SECOND);
    await after.evaluator.evaluate();
    assert.equal(after.notifier.sent.length, 0, 'the firing alert is not announced twice');
    clock.advance(10 * MINUTE);
    await after.evaluator.evaluate();
    assert.deepEqual(
      after.notifier.sent.map((s) => s.notification.state),
      ['resolved'],
    );
  });

  it('resolves the firing alerts of a rule deleted through the API', async () => {
    stores = await openStores();
    const clock = new Clock();
    const { evaluator, notifier, states } = evaluatorFor(config(''), stores, clock);
    await stores.store.insertRule({
      name: 'api-rule',
      tenant: 'default',
      source: 'api',
      query: '',
      windowMs: MINUTE,
      op: '>=',
      threshold: 1,
      forMs: 0,
      groupBy: [],
      severity: 'critical',
      notify: null,
    });
    await stores.search.index([logEvent('default', clock.now() - SECOND)]);
    await evaluator.evaluate();
    assert.deepEqual(await states(), [['default', '[]', 'firing']]);

    await stores.store.deleteRule('default', 'api-rule');
    clock.advance(30 * SECOND);
    await evaluator.evaluate();
    assert.deepEqual(await states(), []);
    assert.deepEqual(
      notifier.sent.map((s) => [s.notification.state, s.notification.reason, s.notification.severity]),
      [
        ['firing', undefined, 'critical'],
        ['resolved', 'rule_changed', 'critical'],
      ],
    );
  });

  it('ends the alerts of groups a changed group_by no longer makes', async () => {
    stores = await openStores();
    const clock = new Clock();
    const { evaluator, notifier, states } = evaluatorFor(config(''), stores, clock);
    const rule = {
      name: 'grouped',
      tenant: 'default',
      source: 'api' as const,
      query: '',
      windowMs: MINUTE,
      op: '>=' as const,
      threshold: 1,
      forMs: 0,
      groupBy: ['service'],
      severity: 'warning' as const,
      notify: null,
    };
    await stores.store.insertRule(rule);
    await stores.search.index([
      logEvent('default', clock.now() - SECOND, { service: 'checkout', host: 'node-1' }),
    ]);
    await evaluator.evaluate();
    await stores.store.replaceRule({ ...rule, groupBy: ['host'] });
    clock.advance(SECOND);
    await evaluator.evaluate();
    assert.deepEqual(await states(), [['default', '["node-1"]', 'firing']]);
    assert.deepEqual(
      notifier.sent.map((s) => [s.notification.state, s.notification.group, s.notification.reason]),
      [
        ['firing', { service: 'checkout' }, undefined],
        ['resolved', { service: 'checkout' }, 'rule_changed'],
        ['firing', { host: 'node-1' }, undefined],
      ],
    );
  });

  it('fires a `<` rule for a group that stopped logging', async () => {
    stores = await openStores();
    const clock = new Clock();
    const cfg = config(`
alerts:
  rules: [ { name: quiet, window: 1m, op: "<", threshold: 1, group_by: [service] } ]
`);
    const { evaluator, notifier } = evaluatorFor(cfg, stores, clock);
    await stores.search.index([
      logEvent('default', clock.now() - SECOND, { service: 'checkout' }),
      logEvent('default', clock.now() - SECOND, { service: 'payments' }),
    ]);
    await evaluator.evaluate();
    assert.equal(notifier.sent.length, 0);

    clock.advance(2 * MINUTE);
    await stores.search.index([logEvent('default', clock.now() - SECOND, { service: 'checkout' })]);
    await evaluator.evaluate();
    assert.deepEqual(
      notifier.sent.map((s) => [s.notification.state, s.notification.group, s.notification.count]),
      [['firing', { service: 'payments' }, 0]],
    );
  });

  it('keeps alerts as they are while the search store fails, and counts the failure', async () => {
    stores = await openStores();
    const clock = new Clock();
    let down = false;
    const real = stores.search;
    const flaky: SearchStore = {
      ...real,
      search: (request) => (down ? Promise.reject(new Error('connection refused')) : real.search(request)),
    };
    const cfg = config(ERRORS_RULE.replace('for: 1m', 'for: 0s'));
    const { evaluator, notifier, metrics, states } = evaluatorFor(cfg, stores, clock, flaky);
    await stores.search.index(
      [0, 1, 2].map((i) => logEvent('default', clock.now() - (i + 1) * SECOND, { level: 'error' })),
    );
    await evaluator.evaluate();
    down = true;
    clock.advance(10 * MINUTE);
    const report = await evaluator.evaluate();
    assert.deepEqual([report.evaluated, report.failed], [1, 1]);
    assert.deepEqual(await states(), [['default', '[]', 'firing']]);
    assert.equal(metrics.ruleErrors.get(), 1);
    assert.deepEqual(
      notifier.sent.map((s) => s.notification.state),
      ['firing'],
    );
  });
});

describe('alert evaluation: status and silences', () => {
  it('records each rule’s last evaluation, and holds back notifications while the rule is silenced', async () => {
    stores = await openStores();
    const clock = new Clock();
    const rule = `
alerts:
  rules:
    - { name: errors, query: "level>=error", window: 5m, op: ">", threshold: 0 }
`;
    const { evaluator, notifier, states } = evaluatorFor(config(rule), stores, clock);
    await stores.store.setSilence('default', 'errors', clock.now() + MINUTE);
    await stores.search.index([logEvent('default', clock.now() - SECOND, { level: 'error' })]);
    const report = await evaluator.evaluate();
    assert.deepEqual(await states(), [['default', '[]', 'firing']]);
    assert.equal(notifier.sent.length, 0);
    assert.equal(report.silenced, 1);
    assert.deepEqual(await stores.store.listRuleStatus('default'), [
      {
        tenant: 'default',
        rule: 'errors',
        lastEvaluation: { at: clock.now(), count: 1, error: null },
        silencedUntil: clock.now() + MINUTE,
      },
    ]);

    // The silence over, the alert resolving is sent again.
    clock.advance(6 * MINUTE);
    await evaluator.evaluate();
    assert.deepEqual(
      notifier.sent.map((n) => n.notification.state),
      ['resolved'],
    );
  });
});
