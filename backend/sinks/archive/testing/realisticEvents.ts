import type { AttrValue, Level, LogEvent } from '../../../../core/event/types.ts';
import { uuidFromName } from '../../../../core/ids/uuidv7.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';

/**
 * Realistic events for archive tests and the compression benchmark, shaped like the normalized output of
 * test/fixtures/logs/ (gateway access events, JSON/logfmt app logs, nginx lines, Java and Python traces,
 * syslog), with varied ids, timestamps and values. Seeded, so every run sees the same events; ids of
 * agent-read lines are hashes (as the agent derives them) and so as incompressible as the real ones.
 */

const HOUR = 3_600_000;
const SERVICES = ['api-gateway', 'orders', 'payments', 'inventory'] as const;
const PATHS = ['/orders', '/orders/{id}', '/cart', '/payments', '/inventory/{sku}', '/healthz'];
const AGENTS = [
  'curl/8.5.0',
  'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0',
  'okhttp/4.12.0',
  'Go-http-client/2.0',
];
const JAVA_TRACE = [
  'java.net.SocketTimeoutException: Read timed out',
  '\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)',
  '\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)',
  '\tat com.example.payments.Gateway.charge(Gateway.java:88)',
  'Caused by: java.io.IOException: connection reset',
  '\t... 12 more',
].join('\n');
const PYTHON_TRACE = [
  'Traceback (most recent call last):',
  '  File "/app/worker.py", line 42, in run',
  '    result = task()',
  '  File "/app/tasks.py", line 9, in task',
  '    raise ValueError("bad input")',
  'ValueError: bad input',
].join('\n');

interface Request {
  correlationId: string;
  traceId: string;
  orderId: string;
  sku: string;
}

export interface RealisticEventsOptions {
  count: number;
  tenant?: string;
  /** First event time, ms; events span about an hour from there. */
  start?: number;
  seed?: number;
}

export function realisticEvents(options: RealisticEventsOptions): LogEvent[] {
  const random = mulberry32(options.seed ?? 42);
  const tenant = options.tenant ?? 'acme';
  const start = options.start ?? Date.UTC(2026, 10, 23, 12, 0, 0);
  const step = (HOUR * 0.98) / options.count;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const hex = (digits: number) => {
    let text = '';
    for (let i = 0; i < digits; i++) text += Math.floor(random() * 16).toString(16);
    return text;
  };
  /** A UUIDv7 (time-ordered, as the gateway mints them) from the seeded generator. */
  const uuidv7 = (ms: number) => {
    const time = ms.toString(16).padStart(12, '0');
    const variant = (8 + Math.floor(random() * 4)).toString(16);
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  };
  let request: Request | undefined;
  let requestLeft = 0;
  const events: LogEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const ms = Math.floor(start + i * step + random() * step);
    if (requestLeft === 0) {
      request = {
        correlationId: uuidv7(ms),
        traceId: hex(32),
        orderId: `A-${1000 + Math.floor(random() * 90_000)}`,
        sku: `SKU-${Math.floor(random() * 500)}`,
      };
      requestLeft = 2 + Math.floor(random() * 5);
    }
    requestLeft--;
    events.push(eventAt(i, ms, request as Request));
  }
  return events;

  function eventAt(i: number, ms: number, req: Request): LogEvent {
    const roll = random();
    // Most services log at ms precision; a few (Go, OTel SDKs) at µs or ns.
    const ts = timestampText(ms, roll < 0.08 ? 6 : roll > 0.985 ? 9 : 3);
    const base = {
      ts,
      observed_ts: new Date(ms + 1 + Math.floor(random() * 40)).toISOString(),
      tenant,
      host: `node-${1 + Math.floor(random() * 12)}`,
      env: 'prod',
    };
    const agentId = uuidFromName(`f${i % 7}:${i * 211}`);
    const traced = { correlation_id: req.correlationId, trace_id: req.traceId, span_id: hex(16) };
    const kind = random();
    if (kind < 0.3) return access(base, traced, req);
    if (kind < 0.42) return nginx(base, agentId, req, ms);
    if (kind < 0.97) return app(base, agentId, traced, req);
    return syslog(base, agentId);
  }

  function timestampText(ms: number, digits: number): string {
    const iso = new Date(ms).toISOString();
    if (digits === 3) return iso;
    const extra = String(Math.floor(random() * 10 ** (digits - 3))).padStart(digits - 3, '0');
    return `${iso.slice(0, -1)}${extra}Z`;
  }

  function access(base: Base, traced: Traced, req: Request): LogEvent {
    const path = pick(PATHS).replace('{id}', req.orderId).replace('{sku}', req.sku);
    const method = path === '/orders' || path === '/payments' ? 'POST' : 'GET';
    const status =
      random() < 0.04 ? pick([500, 502, 504]) : random() < 0.1 ? 404 : method === 'POST' ? 201 : 200;
    const duration = Math.floor(2 + random() * random() * 900);
    return {
      id: uuidv7(Date.parse(base.ts)),
      ...base,
      level: status >= 500 ? 'error' : 'info',
      service: 'api-gateway',
      ...traced,
      message: `${method} ${path} ${status} ${duration}ms`,
      attrs: {
        'http.method': method,
        'http.path': path,
        'http.status': status,
        'http.duration_ms': duration,
        'client.ip': `10.0.${Math.floor(random() * 8)}.${Math.floor(random() * 256)}`,
        'user_agent.original': pick(AGENTS),
      },
    };
  }

  function nginx(base: Base, id: string, req: Request, ms: number): LogEvent {
    const status = random() < 0.05 ? 504 : 200;
    const bytes = Math.floor(random() * 9000);
    const ip = `10.0.0.${Math.floor(random() * 64)}`;
    const rt = (random() * random() * 3).toFixed(3);
    const agent = pick(AGENTS);
    const when = new Date(ms).toISOString();
    const clock = `${when.slice(8, 10)}/Nov/${when.slice(0, 4)}:${when.slice(11, 19)} +0000`;
    return {
      id,
      ...base,
      level: status >= 500 ? 'error' : 'info',
      service: 'nginx',
      correlation_id: req.correlationId,
      message: `${ip} - - [${clock}] "GET /orders/${req.orderId} HTTP/1.1" ${status} ${bytes} "-" "${agent}" rt=${rt} cid=${req.correlationId}`,
      attrs: { 'http.status': status, 'http.bytes': bytes, 'client.ip': ip, rt: Number(rt) },
    };
  }

  function app(base: Base, id: string, traced: Traced, req: Request): LogEvent {
    const service = pick(SERVICES.slice(1));
    const roll = random();
    const event = (level: Level, message: string, attrs: Record<string, AttrValue>): LogEvent => ({
      id,
      ...base,
      level,
      service,
      ...traced,
      message,
      attrs,
    });
    if (roll < 0.3)
      return event('info', `order ${req.orderId} created`, {
        order_id: req.orderId,
        items: 1 + Math.floor(random() * 6),
      });
    if (roll < 0.5)
      return event('info', 'reserve stock', { sku: req.sku, qty: 1 + Math.floor(random() * 4) });
    if (roll < 0.65) return event('debug', `cache miss key=order:${req.orderId}`, {});
    if (roll < 0.75) return event('info', 'heartbeat', {});
    if (roll < 0.83)
      return event('warn', `retrying payment (attempt ${2 + Math.floor(random() * 3)})`, {
        order_id: req.orderId,
      });
    if (roll < 0.88)
      return event('warn', `slow task took ${(1 + random() * 4).toFixed(1)}s`, {
        'thread.name': `worker[${Math.floor(random() * 100)}]`,
      });
    if (roll < 0.93) return event('error', 'stock unavailable', { sku: req.sku, code: 409 });
    if (roll < 0.96)
      return event('error', `payment gateway timeout after ${pick([1000, 3000, 5000])} ms`, {
        'error.code': 504,
        order_id: req.orderId,
      });
    if (roll < 0.98)
      return event('error', `charge failed\n${JAVA_TRACE}`, {
        'thread.name': `http-nio-8080-exec-${Math.floor(random() * 16)}`,
        logger: 'c.e.payments.Gateway',
      });
    return event('error', `task failed\n${PYTHON_TRACE}`, {
      'thread.name': `worker[${Math.floor(random() * 100)}]`,
    });
  }

  function syslog(base: Base, id: string): LogEvent {
    const ssh = random() < 0.5;
    const pid = Math.floor(random() * 65_536);
    const message = ssh
      ? `Failed password for invalid user admin from 203.0.113.${Math.floor(random() * 256)} port ${1024 + Math.floor(random() * 60_000)} ssh2`
      : '(root) CMD (run-parts /etc/cron.hourly)';
    return {
      id,
      ...base,
      level: ssh ? 'warn' : 'info',
      service: ssh ? 'sshd' : 'cron',
      message,
      attrs: ssh ? { 'syslog.pid': pid, 'syslog.msgid': 'ID47' } : { 'syslog.pid': pid },
    };
  }
}

type Base = Pick<LogEvent, 'ts' | 'observed_ts' | 'tenant' | 'host' | 'env'>;
type Traced = Pick<LogEvent, 'correlation_id' | 'trace_id' | 'span_id'>;
