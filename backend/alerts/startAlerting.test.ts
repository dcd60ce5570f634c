import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { silentLogger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { AlertNotification } from './notify/alertNotification.ts';
import { AlertConfigError } from './rules/configRules.ts';
import { type Alerting, startAlerting } from './startAlerting.ts';
import {
  Clock,
  config,
  logEvent,
  MINUTE,
  openStores,
  receiver,
  SECOND,
  type Stores,
} from './testing/alertFixtures.ts';

let stores: Stores | undefined;
let alerting: Alerting | undefined;
let hook: Awaited<ReturnType<typeof receiver>> | undefined;
afterEach(async () => {
  await alerting?.stop();
  await hook?.close();
  await stores?.cleanup();
  alerting = stores = hook = undefined;
});

describe('alerting', () => {
  it('evaluates a rule created through the API and sends its webhook, once', async () => {
    stores = await openStores();
    hook = await receiver();
    const clock = new Clock();
    const registry = new MetricsRegistry();
    alerting = startAlerting({
      config: config(`
alerts:
  evaluate_every: 1m
  notify: [ { kind: webhook, name: oncall, url: "${hook.url}", headers: { X-Token: abc } } ]
`),
      search: stores.search,
      store: stores.store,
      log: silentLogger,
      registry,
      now: clock.now,
      schedule: false,
      linkBase: 'https://logs.example.com/',
    });
    const created = await alerting.app.request('/api/v1/alerts/rules', {
      method: 'POST',
      headers: { 'content-type': 'application/json' }, // no keys configured: loopback-only, open
      body: JSON.stringify({
        name: 'payment-timeouts',
        query: 'timeout',
        window: '5m',
        op: '>=',
        threshold: 2,
      }),
    });
    assert.equal(created.status, 201);
    await stores.search.index([
      logEvent('default', clock.now() - 2 * SECOND, { message: 'payment gateway timeout' }),
      logEvent('default', clock.now() - SECOND, { message: 'timeout again' }),
      logEvent('default', clock.now() - SECOND, { message: 'all good' }),
    ]);

    const report = await alerting.evaluateNow();
    clock.advance(MINUTE);
    await alerting.evaluateNow();
    await alerting.notificationsIdle();

    assert.deepEqual([report.evaluated, report.notifications], [1, 1]);
    assert.equal(hook.received.length, 1);
    const sent = hook.received[0].body as AlertNotification;
    assert.deepEqual(
      [sent.rule, sent.tenant, sent.state, sent.count],
      ['payment-timeouts', 'default', 'firing', 2],
    );
    assert.match(sent.search_url, /^https:\/\/logs\.example\.com\/#q=timeout&from=/);
    assert.equal(hook.received[0].headers['x-token'], 'abc');

    const firing = (await (await alerting.app.request('/api/v1/alerts/firing')).json()) as {
      alerts: Array<{ rule: string; state: string }>;
    };
    assert.deepEqual(
      firing.alerts.map((a) => [a.rule, a.state]),
      [['payment-timeouts', 'firing']],
    );
    const metrics = await registry.render();
    assert.match(metrics, /^sluice_alerts_firing 1$/m);
    assert.match(metrics, /^sluice_alerts_notifications_sent_total\{target="oncall"\} 1$/m);
    assert.match(metrics, /^sluice_alerts_evaluations_total\{result="ok"\} 2$/m);
  });

  it('refuses to start with a sluice.yaml rule whose query does not parse', async () => {
    stores = await openStores();
    const cfg = config('alerts: { rules: [ { name: broken, query: "level>=loud", threshold: 1 } ] }');
    assert.throws(
      () =>
        startAlerting({
          config: cfg,
          search: stores!.search,
          store: stores!.store,
          log: silentLogger,
          registry: new MetricsRegistry(),
          schedule: false,
        }),
      (error: unknown) => error instanceof AlertConfigError && /broken.*unknown level/.test(error.message),
    );
  });
});
