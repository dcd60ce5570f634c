import { type RetryOptions, retryDelay } from '../../../core/backoff/backoff.ts';
import type { Logger } from '../../../core/log/logger.ts';
import type { AlertsMetrics } from '../alertsMetrics.ts';
import type { PostOutcome } from './postJson.ts';
import type { NotifyTarget } from './targets.ts';

export interface DeliveryOptions {
  /** Tries per notification, the first included. */
  attempts: number;
  backoff: RetryOptions;
  /** Notifications waiting per target; more are dropped (and counted) rather than held without bound. */
  capacity: number;
  /** Injectable so tests need not wait out the backoff. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  attempts: 5,
  backoff: { baseMs: 1_000, maxMs: 60_000, maxRetryAfterMs: 5 * 60_000 },
  capacity: 1_000,
};

export type Send = (body: unknown, signal: AbortSignal) => Promise<PostOutcome>;

export interface DeliveryQueue {
  /** Queues one body; returns at once (evaluation never waits for a receiver). */
  push(body: unknown, about: Record<string, unknown>): void;
  /** Resolves when nothing is queued or being delivered. */
  idle(): Promise<void>;
  /** Abandons queued and retrying deliveries (they are counted as failed) and waits for the one in flight. */
  stop(): Promise<void>;
}

/**
 * One target's notifications, delivered one at a time in order, so a receiver never sees an alert
 * resolve before it saw it fire, and a slow or dead receiver delays only its own queue.
 */
export function createDeliveryQueue(
  target: NotifyTarget,
  send: Send,
  options: DeliveryOptions,
  deps: { log: Logger; metrics: AlertsMetrics },
): DeliveryQueue {
  const queue: Array<{ body: unknown; about: Record<string, unknown> }> = [];
  const stopping = new AbortController();
  const sleep = options.sleep ?? abortableSleep;
  const labels = { target: target.name };
  let draining: Promise<void> | null = null;

  async function deliver(body: unknown, about: Record<string, unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await send(body, stopping.signal);
      if (outcome.ok) {
        deps.metrics.notificationsSent.inc(labels);
        return;
      }
      const last = attempt + 1 >= options.attempts || !outcome.retryable || stopping.signal.aborted;
      if (last) {
        deps.metrics.notificationsFailed.inc(labels);
        deps.log.warn('alert notification failed; giving up on it', {
          target: target.name,
          kind: target.kind,
          attempts: attempt + 1,
          reason: outcome.reason,
          ...about,
        });
        return;
      }
      deps.metrics.notificationRetries.inc(labels);
      await sleep(retryDelay(attempt, outcome.retryAfterMs, options.backoff), stopping.signal);
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0 && !stopping.signal.aborted) {
      const next = queue.shift()!;
      await deliver(next.body, next.about);
    }
    draining = null;
  }

  return {
    push(body, about) {
      if (stopping.signal.aborted || queue.length >= options.capacity) {
        deps.metrics.notificationsFailed.inc(labels);
        deps.log.warn('alert notification dropped: the target queue is full or alerting is stopping', {
          target: target.name,
          queued: queue.length,
          ...about,
        });
        return;
      }
      queue.push({ body, about });
      draining ??= drain();
    },
    async idle() {
      while (draining !== null) await draining;
    },
    async stop() {
      stopping.abort();
      await draining;
      if (queue.length > 0) {
        deps.metrics.notificationsFailed.inc(labels, queue.length);
        deps.log.warn('alert notifications abandoned at shutdown', {
          target: target.name,
          count: queue.length,
        });
        queue.length = 0;
      }
    },
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
