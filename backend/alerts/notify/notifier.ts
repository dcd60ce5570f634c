import type { Logger } from '../../../core/log/logger.ts';
import type { AlertsMetrics } from '../alertsMetrics.ts';
import type { AlertNotification } from './alertNotification.ts';
import { createDeliveryQueue, type DeliveryOptions, type DeliveryQueue } from './deliveryQueue.ts';
import { postJson } from './postJson.ts';
import { slackMessage } from './slackMessage.ts';
import type { NotifyTarget } from './targets.ts';

export interface Notifier {
  /** Hands a notification to the rule's targets (null: all of them); never waits for delivery. */
  notify(notification: AlertNotification, targets: readonly string[] | null): void;
  /** Resolves when every target's queue is empty (tests, graceful shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** One delivery queue per `alerts.notify` target; webhooks get the notification, Slack a message. */
export function createNotifier(
  targets: readonly NotifyTarget[],
  options: DeliveryOptions,
  deps: { log: Logger; metrics: AlertsMetrics },
): Notifier {
  const queues = new Map<string, DeliveryQueue>();
  for (const target of targets) {
    const send = (body: unknown, signal: AbortSignal) =>
      postJson(target.url, body, { headers: target.headers, timeoutMs: target.timeoutMs, signal });
    queues.set(target.name, createDeliveryQueue(target, send, options, deps));
  }
  const kinds = new Map(targets.map((t) => [t.name, t.kind]));

  return {
    notify(notification, names) {
      const about = { rule: notification.rule, tenant: notification.tenant, state: notification.state };
      for (const name of names ?? [...queues.keys()]) {
        const queue = queues.get(name);
        // Names were checked against alerts.notify when the rule was accepted; a rule kept from an
        // older config may still name a target that is gone.
        if (queue === undefined) {
          deps.log.warn('alert rule names a notify target that is not configured', {
            target: name,
            ...about,
          });
          continue;
        }
        queue.push(kinds.get(name) === 'slack' ? slackMessage(notification) : notification, about);
      }
    },
    async idle() {
      await Promise.all([...queues.values()].map((q) => q.idle()));
    },
    async stop() {
      await Promise.all([...queues.values()].map((q) => q.stop()));
    },
  };
}
