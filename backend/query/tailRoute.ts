import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LogEvent } from '../../core/event/types.ts';
import { retryLater } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import { compileToPredicate } from '../../core/query/index.ts';
import type { QueryDeps } from './deps.ts';
import { queryAst } from './params.ts';
import { scopeOf } from './scope.ts';

export interface TailLimits {
  /** Concurrent tails per tenant (per scope: an operator's all-tenant tails share one); one more answers 429. */
  maxPerTenant: number;
  /** Concurrent tails per key, whatever tenants it names; one more answers 429. */
  maxPerKey: number;
  /** Events queued for a slow client before the oldest are dropped (and the client told how many). */
  maxQueued: number;
  heartbeatMs: number;
}

export const DEFAULT_TAIL_LIMITS: TailLimits = {
  maxPerTenant: 10,
  maxPerKey: 10,
  maxQueued: 5000,
  heartbeatMs: 15_000,
};

/**
 * `GET /api/v1/tail?q=`: server-sent events, one `data: <event JSON>` per matching event as it passes the
 * processor. A client that reads slower than events arrive gets at most `maxQueued` waiting events; the
 * oldest beyond that are dropped and an `event: dropped` message says how many, so memory stays bounded.
 * A `: ping` comment every heartbeat keeps proxies from closing an idle stream.
 */
export function tailRoute(
  c: Context<AuthEnv>,
  deps: QueryDeps,
  limits: TailLimits,
): Response | Promise<Response> {
  const key = c.get('principal').name;
  const scope = scopeOf(c.get('principal'), c.req.query('tenant'));
  const ast = queryAst(c.req.query('q'), deps.now(), deps.limits);
  const matches = ast === undefined ? () => true : compileToPredicate(ast);
  // Counted per key as well as per tenant, so naming many tenants (an operator) cannot open more.
  if (deps.tail.count((s) => s.key === key) >= limits.maxPerKey) {
    throw retryLater(429, 'too_many_tails', `at most ${limits.maxPerKey} live tails per key; close one`, 5);
  }
  if (deps.tail.count((s) => s.scope.tenant === scope.tenant) >= limits.maxPerTenant) {
    throw retryLater(
      429,
      'too_many_tails',
      `at most ${limits.maxPerTenant} live tails per tenant; close one`,
      5,
    );
  }
  return streamSSE(c, async (stream) => {
    let queue: LogEvent[] = [];
    let dropped = 0;
    let wake: (() => void) | null = null;
    const unsubscribe = deps.tail.subscribe({
      scope,
      key,
      matches,
      push: (events) => {
        queue.push(...events);
        if (queue.length > limits.maxQueued) {
          dropped += queue.length - limits.maxQueued;
          queue = queue.slice(queue.length - limits.maxQueued);
        }
        wake?.();
      },
    });
    let open = true;
    stream.onAbort(() => {
      open = false;
      wake?.();
    });
    const heartbeat = setInterval(() => {
      void stream.write(': ping\n\n').catch(() => undefined);
    }, limits.heartbeatMs);
    try {
      await stream.write(': tail started\n\n');
      while (open) {
        if (queue.length === 0 && dropped === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        if (dropped > 0) {
          const n = dropped;
          dropped = 0;
          await stream.writeSSE({ event: 'dropped', data: JSON.stringify({ dropped: n }) });
        }
        const batch = queue;
        queue = [];
        for (const event of batch) {
          if (!open) break;
          await stream.writeSSE({ data: JSON.stringify(event), id: event.id });
        }
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
    }
  });
}
