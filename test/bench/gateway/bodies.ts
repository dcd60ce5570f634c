/**
 * Pre-built request bodies for the gateway benchmark: gzip NDJSON batches of realistic events
 * (~250 bytes each as NDJSON), built once up front so the load generator only sends bytes.
 */
import { gzipSync } from 'node:zlib';

export interface Body {
  /** The gzip bytes sent on the wire. */
  gzip: Buffer;
  /** Uncompressed NDJSON bytes. */
  rawBytes: number;
  /** `gzip.byteLength`, as the load generator counts every protocol's bytes on the wire. */
  wireBytes: number;
  events: number;
}

const SERVICES = ['checkout', 'payments', 'cart', 'search', 'auth', 'inventory', 'shipping', 'frontend'];
const LEVELS = ['info', 'info', 'info', 'info', 'debug', 'warn', 'info', 'error', 'info', 'debug'];
const PATHS = ['/api/v1/orders', '/api/v1/cart/items', '/api/v1/search', '/login', '/api/v1/payments'];
const MESSAGES: Array<(n: number) => string> = [
  (n) => `request handled method=GET path=${PATHS[n % 5]}/${n % 9973} status=200 in ${n % 480} ms`,
  (n) => `payment gateway timeout after ${1000 + (n % 4) * 1000} ms order=A-${n % 100_000}`,
  (n) => `cache miss for key user:${n % 50_000}:profile, loading from db`,
  (n) => `retrying upstream call attempt=${(n % 3) + 1} upstream=inventory-${n % 7}.svc`,
  (n) => `user ${n % 20_000} logged in from 10.${n % 256}.${(n >> 8) % 256}.${n % 199}`,
  (n) => `slow query took ${200 + (n % 900)} ms: SELECT * FROM orders WHERE customer_id = $1`,
];

/** A cheap deterministic hex generator (no crypto in the hot path of building bodies). */
function hex(n: number, width: number): string {
  let x = (n * 2654435761) >>> 0;
  let out = '';
  while (out.length < width) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, width);
}

/** One event as an agent would send it; `n` makes ids, times and contents vary. */
export function makeEvent(n: number, baseMs: number): Record<string, unknown> {
  const service = SERVICES[n % SERVICES.length];
  const level = LEVELS[(n * 7) % LEVELS.length];
  const event: Record<string, unknown> = {
    id: `0193f2c4-${hex(n, 4)}-7${hex(n + 1, 3)}-8${hex(n + 2, 3)}-${hex(n + 3, 12)}`,
    ts: new Date(baseMs + n * 3).toISOString(),
    level,
    service,
    host: `node-${n % 16}`,
    env: n % 10 === 0 ? 'staging' : 'prod',
    message: MESSAGES[n % MESSAGES.length](n),
  };
  if (n % 3 === 0) event.correlation_id = `0193f2c5-${hex(n >> 2, 4)}-7abc-9def-${hex(n >> 2, 12)}`;
  if (n % 2 === 0) event.attrs = { 'http.status': level === 'error' ? 500 : 200, 'duration.ms': n % 997 };
  return event;
}

/** `count` distinct bodies of `eventsPerBody` events each. */
export function makeBodies(count: number, eventsPerBody: number): Body[] {
  const baseMs = Date.parse('2026-11-24T08:00:00.000Z');
  const bodies: Body[] = [];
  for (let b = 0; b < count; b++) {
    const lines: string[] = new Array(eventsPerBody);
    for (let i = 0; i < eventsPerBody; i++)
      lines[i] = JSON.stringify(makeEvent(b * eventsPerBody + i, baseMs));
    const raw = Buffer.from(`${lines.join('\n')}\n`);
    const gzip = gzipSync(raw);
    bodies.push({ gzip, rawBytes: raw.byteLength, wireBytes: gzip.byteLength, events: eventsPerBody });
  }
  return bodies;
}
