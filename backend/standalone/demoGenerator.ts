import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { uuidv7 } from '../../core/ids/uuidv7.ts';
import { mulberry32 } from '../../core/random/mulberry32.ts';

/**
 * Writes the demo's log files: a small shop where every request passes api-gateway → orders →
 * payments → inventory, each service logging in its own style with the request's correlation ID. Now
 * and then a payment times out (errors) and some lines carry secrets, so masking has work to do.
 */
export interface DemoGenerator {
  stop(): void;
  /** Correlation ID of the most recent request that failed (for the start-up hints). */
  lastFailedRequest(): string | undefined;
}

const SERVICES = ['api-gateway', 'orders', 'payments', 'inventory'] as const;

export function startDemoGenerator(
  dir: string,
  options: { requestsPerSecond?: number; seed?: number } = {},
): DemoGenerator {
  mkdirSync(dir, { recursive: true });
  const files = Object.fromEntries(SERVICES.map((s) => [s, join(dir, `${s}.log`)])) as Record<
    (typeof SERVICES)[number],
    string
  >;
  let n = 0;
  let failed: string | undefined;
  const random = mulberry32(options.seed ?? 42);

  const request = () => {
    n++;
    const cid = uuidv7();
    const order = `A-${1000 + n}`;
    const sku = `SKU-${Math.floor(random() * 50)}`;
    const now = Date.now();
    const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
    const fails = random() < 0.08;
    const slow = Math.round(20 + random() * 200);
    const lines: Array<[(typeof SERVICES)[number], string]> = [
      [
        'api-gateway',
        JSON.stringify({
          timestamp: iso(0),
          level: 'INFO',
          service: 'api-gateway',
          correlationId: cid,
          msg: 'POST /orders received',
          http: { method: 'POST', path: '/orders' },
        }),
      ],
      [
        'orders',
        `ts=${iso(3)} level=info service=orders correlation_id=${cid} msg="order ${order} created" order_id=${order} items=${1 + Math.floor(random() * 4)}`,
      ],
      [
        'inventory',
        JSON.stringify({
          time: now + 5,
          lvl: 'info',
          app: 'inventory',
          request_id: cid,
          message: `reserved ${sku}`,
          sku,
        }),
      ],
    ];
    if (n % 7 === 0) {
      // A careless debug line: the agent's masking must hide the card number and the password.
      lines.push([
        'payments',
        JSON.stringify({
          '@timestamp': iso(6),
          severity: 'DEBUG',
          app: 'payments',
          request_id: cid,
          msg: `charging card 4111 1111 1111 1111 for ${order}`,
          db_url: 'postgres://shop:hunter2@db:5432/shop',
        }),
      ]);
    }
    if (fails) {
      failed = cid;
      lines.push([
        'payments',
        JSON.stringify({
          '@timestamp': iso(3000),
          severity: 'ERROR',
          app: 'payments',
          request_id: cid,
          msg: `payment gateway timeout after 3000 ms for ${order}`,
          error: { code: 504 },
          latency_ms: 3000,
        }),
      ]);
      lines.push([
        'api-gateway',
        JSON.stringify({
          timestamp: iso(3002),
          level: 'WARN',
          service: 'api-gateway',
          correlationId: cid,
          msg: 'POST /orders 502',
          http: { status: 502 },
          latency_ms: 3002,
        }),
      ]);
    } else {
      lines.push([
        'payments',
        JSON.stringify({
          '@timestamp': iso(slow),
          severity: 'INFO',
          app: 'payments',
          request_id: cid,
          msg: `payment authorized for ${order}`,
          latency_ms: slow,
        }),
      ]);
      lines.push([
        'api-gateway',
        JSON.stringify({
          timestamp: iso(slow + 2),
          level: 'INFO',
          service: 'api-gateway',
          correlationId: cid,
          msg: 'POST /orders 201',
          http: { status: 201 },
          latency_ms: slow + 2,
        }),
      ]);
    }
    for (const [service, line] of lines) appendFileSync(files[service], `${line}\n`);
  };

  const interval = 1000 / (options.requestsPerSecond ?? 5);
  const timer = setInterval(request, interval);
  timer.unref();
  return { stop: () => clearInterval(timer), lastFailedRequest: () => failed };
}
