import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../core/log/logger.ts';
import { MetricsRegistry } from '../../../core/metrics/registry.ts';
import { createAlertsMetrics } from '../alertsMetrics.ts';
import type { AlertRule } from '../rules/alertRule.ts';
import { MINUTE, receiver, T0 } from '../testing/alertFixtures.ts';
import { type AlertNotification, notificationOf } from './alertNotification.ts';
import { DEFAULT_DELIVERY } from './deliveryQueue.ts';
import { createNotifier } from './notifier.ts';
import type { NotifyTarget } from './targets.ts';

const RULE: AlertRule = {
  name: 'checkout-errors',
  tenant: null,
  source: 'config',
  query: 'level>=error',
  windowMs: 5 * MINUTE,
  op: '>',
  threshold: 10,
  forMs: MINUTE,
  groupBy: ['service'],
  severity: 'critical',
  notify: null,
};

function notification(state: 'firing' | 'resolved', linkBase = ''): AlertNotification {
  const alert = {
    rule: RULE.name,
    tenant: 'acme',
    groupKey: '["checkout"]',
    group: { service: 'checkout' },
    state,
    activeSince: T0,
    since: T0 + MINUTE,
    count: 42,
    countExact: true,
    evaluatedAt: T0 + MINUTE,
  } as const;
  return notificationOf(RULE, alert, state, { linkBase });
}

function notifierFor(targets: NotifyTarget[], attempts = 3) {
  const metrics = createAlertsMetrics(new MetricsRegistry());
  const sleeps: number[] = [];
  const notifier = createNotifier(
    targets,
    {
      ...DEFAULT_DELIVERY,
      attempts,
      backoff: { baseMs: 100, maxMs: 1_000, random: () => 0.5 },
      // Records the backoff instead of waiting it out.
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    { log: silentLogger, metrics },
  );
  return { notifier, metrics, sleeps };
}

const webhook = (url: string, timeoutMs = 5_000): NotifyTarget => ({
  kind: 'webhook',
  name: 'oncall',
  url,
  headers: { authorization: 'Bearer hook-token' },
  timeoutMs,
});

describe('webhook notifications', () => {
  it('retries a 500 with backoff, then delivers the JSON payload with the configured headers', async () => {
    const hook = await receiver([500]);
    try {
      const { notifier, metrics, sleeps } = notifierFor([webhook(hook.url)]);
      notifier.notify(notification('firing'), null);
      await notifier.idle();
      assert.equal(hook.received.length, 2);
      assert.deepEqual(hook.received[0].body, hook.received[1].body);
      assert.equal(hook.received[1].headers.authorization, 'Bearer hook-token');
      assert.equal(hook.received[1].headers['content-type'], 'application/json');
      assert.deepEqual(hook.received[1].body, {
        version: 1,
        rule: 'checkout-errors',
        tenant: 'acme',
        group: { service: 'checkout' },
        state: 'firing',
        severity: 'critical',
        count: 42,
        count_relation: 'eq',
        op: '>',
        threshold: 10,
        window: '5m',
        since: '2026-11-23T12:01:00.000Z',
        active_since: '2026-11-23T12:00:00.000Z',
        evaluated_at: '2026-11-23T12:01:00.000Z',
        query: 'level>=error',
        search_url:
          '/#q=level%3E%3Derror+service%3Acheckout&from=2026-11-23T11%3A55%3A00.000Z&to=2026-11-23T12%3A01%3A00.000Z',
      });
      assert.deepEqual(sleeps, [50]);
      assert.equal(metrics.notificationsSent.get({ target: 'oncall' }), 1);
      assert.equal(metrics.notificationRetries.get({ target: 'oncall' }), 1);
      assert.equal(metrics.notificationsFailed.get({ target: 'oncall' }), 0);
    } finally {
      await hook.close();
    }
  });

  it('gives up after the last attempt and counts the failure', async () => {
    const hook = await receiver([503, 503, 503]);
    try {
      const { notifier, metrics } = notifierFor([webhook(hook.url)], 3);
      notifier.notify(notification('firing'), null);
      await notifier.idle();
      assert.equal(hook.received.length, 3);
      assert.equal(metrics.notificationsFailed.get({ target: 'oncall' }), 1);
      assert.equal(metrics.notificationsSent.get({ target: 'oncall' }), 0);
    } finally {
      await hook.close();
    }
  });

  it('does not retry a request the receiver refuses (4xx)', async () => {
    const hook = await receiver([401]);
    try {
      const { notifier, metrics } = notifierFor([webhook(hook.url)]);
      notifier.notify(notification('firing'), null);
      await notifier.idle();
      assert.equal(hook.received.length, 1);
      assert.equal(metrics.notificationsFailed.get({ target: 'oncall' }), 1);
    } finally {
      await hook.close();
    }
  });

  it('abandons an attempt the receiver does not answer within the timeout and tries again', async () => {
    const hook = await receiver([0]);
    try {
      // 1.5 s: long enough that the second, answered attempt never times out on a loaded machine.
      const { notifier, metrics } = notifierFor([webhook(hook.url, 1_500)]);
      notifier.notify(notification('firing'), null);
      await notifier.idle();
      assert.equal(hook.received.length, 2);
      assert.equal(metrics.notificationRetries.get({ target: 'oncall' }), 1);
      assert.equal(metrics.notificationsSent.get({ target: 'oncall' }), 1);
    } finally {
      await hook.close();
    }
  });

  it('delivers to one target in order, so resolved never overtakes firing', async () => {
    const hook = await receiver([500]);
    try {
      const { notifier } = notifierFor([webhook(hook.url)]);
      notifier.notify(notification('firing'), null);
      notifier.notify(notification('resolved'), null);
      await notifier.idle();
      assert.deepEqual(
        hook.received.map((r) => (r.body as AlertNotification).state),
        ['firing', 'firing', 'resolved'],
      );
    } finally {
      await hook.close();
    }
  });

  it('sends only to the targets a rule names', async () => {
    const a = await receiver();
    const b = await receiver();
    try {
      const { notifier } = notifierFor([
        { ...webhook(a.url), name: 'a' },
        { ...webhook(b.url), name: 'b' },
      ]);
      notifier.notify(notification('firing'), ['b']);
      await notifier.idle();
      assert.deepEqual([a.received.length, b.received.length], [0, 1]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('slack notifications', () => {
  it('posts an incoming-webhook message whose text says what fired, where, and links the events', async () => {
    const slack = await receiver();
    try {
      const target: NotifyTarget = {
        kind: 'slack',
        name: 'team',
        url: slack.url,
        headers: {},
        timeoutMs: 5_000,
      };
      const { notifier } = notifierFor([target]);
      notifier.notify(notification('firing', 'https://logs.example.com'), null);
      await notifier.idle();
      const body = slack.received[0].body as { text: string };
      assert.deepEqual(Object.keys(body), ['text']);
      const [headline, link] = body.text.split('\n');
      assert.equal(
        headline,
        ':rotating_light: *FIRING* checkout-errors (critical) — tenant acme, service=checkout: 42 events in 5m (condition: count &gt; 10)',
      );
      assert.match(
        link,
        /^<https:\/\/logs\.example\.com\/#q=level%3E%3Derror\+service%3Acheckout&from=.*\|Open the events in Sluice>$/,
      );
    } finally {
      await slack.close();
    }
  });
});
