/**
 * DEV FIXTURE ONLY: made-up events for looking at the UI without a pipeline (devServer.ts). Nothing
 * here is used by the real query API or by tests of real behaviour.
 *
 * Requests flow gateway → checkout → payments/inventory → notifications, each with a correlation ID;
 * a few fail (payment gateway timeouts), some lines are hostile markup, some carry stack traces.
 */
import type { Level, LogEvent } from '../../../core/event/types.ts';
import { mulberry32 } from '../../../core/random/mulberry32.ts';

let sequence = 0;

function makeEvent(
  ms: number,
  service: string,
  level: Level,
  message: string,
  extra: Partial<LogEvent> & { attrs?: LogEvent['attrs'] } = {},
): LogEvent {
  const ts = new Date(ms).toISOString();
  sequence++;
  return {
    id: `${Math.floor(ms).toString(16).padStart(12, '0')}-dev-${sequence.toString(16).padStart(8, '0')}`,
    ts,
    observed_ts: new Date(ms + 7).toISOString(),
    level,
    service,
    host: `node-${(sequence % 4) + 1}`,
    env: 'prod',
    tenant: 'default',
    ...extra,
    message,
    attrs: extra.attrs ?? {},
  };
}

const PATHS = ['/orders', '/orders/7', '/cart', '/checkout', '/users/me'];
const HOSTILE = [
  '<img src=x onerror=alert(1)> rendered as text, not markup',
  'user agent "<script>alert(\'xss\')</script>" rejected',
];

/** One request: 4–11 events across services within a few hundred ms; `fail` makes payments time out. */
export function sampleRequest(startMs: number, rng: () => number, fail = rng() < 0.06): LogEvent[] {
  const cid = `req-${Math.floor(startMs).toString(36)}-${Math.floor(rng() * 1e6).toString(36)}`;
  const trace_id = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join('');
  const order = `A-${1000 + Math.floor(rng() * 9000)}`;
  const path = PATHS[Math.floor(rng() * PATHS.length)];
  let t = startMs;
  const step = (min: number, spread: number) => {
    t += min + rng() * spread;
    return t;
  };
  const base = { correlation_id: cid, trace_id };
  const out: LogEvent[] = [
    makeEvent(t, 'gateway', 'info', `POST ${path} received`, {
      ...base,
      attrs: { 'http.method': 'POST', 'http.path': path },
    }),
    makeEvent(step(2, 5), 'checkout', 'debug', `loading cart for order ${order}`, {
      ...base,
      attrs: { 'order.id': order },
    }),
    makeEvent(step(5, 30), 'inventory', 'info', `reserved 3 items for order ${order}`, {
      ...base,
      attrs: { 'order.id': order, items: 3 },
    }),
  ];
  if (fail) {
    out.push(
      makeEvent(step(1000, 2000), 'payments', 'warn', 'payment gateway slow, retrying (attempt 2 of 3)', {
        ...base,
        attrs: { attempt: 2 },
      }),
      makeEvent(step(3000, 10), 'payments', 'error', 'payment gateway timeout after 3000 ms', {
        ...base,
        attrs: { 'http.status': 504, 'order.id': order, upstream: 'https://pay.example.com' },
      }),
      makeEvent(
        step(1, 3),
        'checkout',
        'error',
        `order ${order} failed: PaymentTimeout\n    at charge (payments/client.ts:88:11)\n    at checkout (checkout/flow.ts:41:5)`,
        { ...base, attrs: { 'order.id': order, 'error.kind': 'PaymentTimeout' } },
      ),
      makeEvent(step(1, 4), 'gateway', 'info', `POST ${path} 504 ${Math.round(t - startMs)}ms`, {
        ...base,
        attrs: { 'http.status': 504, duration_ms: Math.round(t - startMs), kind: 'access' },
      }),
    );
  } else {
    out.push(
      makeEvent(step(40, 160), 'payments', 'info', `charged card ending 4242 for order ${order}`, {
        ...base,
        attrs: { 'order.id': order, amount: 42.5 },
      }),
      makeEvent(step(2, 10), 'checkout', 'info', `order ${order} confirmed`, {
        ...base,
        attrs: { 'order.id': order },
      }),
      makeEvent(step(5, 40), 'notifications', 'debug', `queued confirmation email for order ${order}`, {
        ...base,
        attrs: { 'order.id': order },
      }),
      makeEvent(step(1, 4), 'gateway', 'info', `POST ${path} 200 ${Math.round(t - startMs)}ms`, {
        ...base,
        attrs: { 'http.status': 200, duration_ms: Math.round(t - startMs), kind: 'access' },
      }),
    );
    if (rng() < 0.3)
      out.push(
        makeEvent(step(200, 800), 'email-worker', 'info', `sent order confirmation for ${order}`, {
          ...base,
        }),
      );
  }
  if (rng() < 0.02)
    out.push(makeEvent(step(1, 2), 'gateway', 'warn', HOSTILE[Math.floor(rng() * HOSTILE.length)], base));
  return out;
}

/** Background noise without correlation IDs: health checks, cache stats, the odd fatal. */
export function sampleNoise(ms: number, rng: () => number): LogEvent {
  const r = rng();
  if (r < 0.35)
    return makeEvent(ms, 'users', 'debug', 'GET /healthz 200 1ms', { attrs: { 'http.status': 200 } });
  if (r < 0.6)
    return makeEvent(ms, 'search', 'info', `cache hit ratio ${(0.8 + rng() * 0.19).toFixed(3)}`, {
      attrs: { 'cache.size': 4096 },
    });
  if (r < 0.8)
    return makeEvent(ms, 'billing', 'info', 'invoice batch processed', {
      attrs: { invoices: Math.floor(rng() * 50) },
    });
  if (r < 0.95) return makeEvent(ms, 'recommendations', 'trace', 'model scored 200 candidates');
  if (r < 0.999)
    return makeEvent(ms, 'search', 'warn', 'slow query: 1240 ms on shard 3', {
      attrs: { shard: 3, duration_ms: 1240 },
    });
  return makeEvent(ms, 'billing', 'fatal', 'lost connection to ledger database; exiting');
}

/**
 * Events from `days` ago until `nowMs`, denser towards now (so every preset shows something) and with
 * an incident (error spike) 40 minutes ago and a quiet gap (no data) 3 hours ago.
 */
export function sampleHistory(nowMs: number, days: number, seed = 7): LogEvent[] {
  const rng = mulberry32(seed);
  const events: LogEvent[] = [];
  const start = nowMs - days * 86_400_000;
  let t = start;
  while (t < nowMs) {
    const age = nowMs - t;
    const gap = age > 3 * 3_600_000 && age < 3.25 * 3_600_000;
    const incident = age > 35 * 60_000 && age < 45 * 60_000;
    if (!gap) {
      if (rng() < 0.7) events.push(...sampleRequest(t, rng, incident ? rng() < 0.5 : undefined));
      else events.push(sampleNoise(t, rng));
    }
    // About one request every 4 s in the last hour, every 40 s in the last day, every 5 min before that.
    t +=
      age < 3_600_000
        ? 1000 + rng() * 6000
        : age < 86_400_000
          ? 10_000 + rng() * 60_000
          : 60_000 + rng() * 480_000;
  }
  return events.filter((e) => Date.parse(e.ts) < nowMs);
}
