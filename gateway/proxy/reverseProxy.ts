import { Readable } from 'node:stream';
import type { Context, Hono } from 'hono';
import { Agent, request } from 'undici';
import { ApiError } from '../../core/http/apiError.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { AccessLog } from './accessLog.ts';
import { CORRELATION_HEADER, correlationIdFor, parseTraceparent } from './correlation.ts';
import { proxyTarget } from './proxyTarget.ts';

export interface ProxyRoute {
  prefix: string;
  upstream: string;
  /** Time allowed for the upstream's response headers, and between body chunks. */
  timeoutMs: number;
  /** Remove the prefix from the path sent upstream (`/orders/1` → `/1`). */
  stripPrefix?: boolean;
  /** Tenant of this route's access events. */
  tenant: string;
  /** Service name on this route's access events. */
  service: string;
}

/** RFC 9110 §7.6.1: headers that describe one connection, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

function forwardHeaders(
  headers: Iterable<[string, string | string[] | undefined]>,
  connection: string | null,
) {
  const listed = new Set((connection ?? '').split(',').map((s) => s.trim().toLowerCase()));
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || listed.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

/**
 * Reverse proxy in front of services: keeps a valid X-Correlation-ID or mints one, passes it (and the
 * traceparent) upstream, returns it to the client, and records one access event per request. Bodies
 * stream both ways, so large uploads and downloads never sit in the gateway's memory.
 */
export function mountProxy(
  app: Hono,
  routes: readonly ProxyRoute[],
  deps: { accessLog: AccessLog; metrics: GatewayMetrics; dispatcher?: Agent },
): Agent {
  const dispatcher = deps.dispatcher ?? new Agent({ keepAliveTimeout: 10_000, connections: 256 });
  // Longest prefix first, so /orders/admin wins over /orders.
  const sorted = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const route of sorted) {
    const prefix = route.prefix.replace(/\/+$/, '');
    const handler = (c: Context) => proxyOne(c, route, prefix, dispatcher, deps);
    app.all(prefix === '' ? '/' : prefix, handler);
    app.all(`${prefix}/*`, handler);
  }
  return dispatcher;
}

async function proxyOne(
  c: Context,
  route: ProxyRoute,
  prefix: string,
  dispatcher: Agent,
  deps: { accessLog: AccessLog; metrics: GatewayMetrics },
): Promise<Response> {
  const started = performance.now();
  const incoming = c.req.raw;
  const url = new URL(incoming.url);
  const target = proxyTarget(url, route.upstream, route.stripPrefix ? prefix : null);
  const { id: correlationId, minted } = correlationIdFor(incoming.headers.get(CORRELATION_HEADER));
  const trace = parseTraceparent(incoming.headers.get('traceparent'));

  const headers = forwardHeaders(incoming.headers.entries(), incoming.headers.get('connection'));
  headers[CORRELATION_HEADER] = correlationId;
  const clientIp = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
    ?.socket?.remoteAddress;
  if (clientIp !== undefined) {
    const prior = incoming.headers.get('x-forwarded-for');
    headers['x-forwarded-for'] = prior === null ? clientIp : `${prior}, ${clientIp}`;
  }
  headers['x-forwarded-host'] = incoming.headers.get('host') ?? url.host;
  headers['x-forwarded-proto'] = url.protocol.replace(':', '');

  let bytesIn = 0;
  const body =
    incoming.body === null || incoming.method === 'GET' || incoming.method === 'HEAD'
      ? null
      : Readable.from(countBytes(incoming.body, (n) => (bytesIn += n)));

  const finish = (status: number, bytesOut: number) => {
    deps.metrics.proxied.inc({ upstream: route.upstream, status: String(status) });
    deps.accessLog.record({
      method: incoming.method,
      path: url.pathname,
      status,
      durationMs: performance.now() - started,
      bytesIn,
      bytesOut,
      upstream: route.upstream,
      tenant: route.tenant,
      service: route.service,
      correlationId,
      correlationSource: minted ? 'gateway' : 'client',
      traceId: trace?.traceId,
      spanId: trace?.spanId,
      clientIp,
    });
  };

  let upstream: Awaited<ReturnType<typeof request>>;
  // Our own timer for the response headers: undici's coarse timers can overshoot short timeouts.
  const abort = new AbortController();
  const headersTimer = setTimeout(() => abort.abort(new Error('upstream headers timeout')), route.timeoutMs);
  try {
    upstream = await request(target, {
      method: incoming.method as 'GET',
      headers,
      body,
      dispatcher,
      signal: abort.signal,
      bodyTimeout: route.timeoutMs,
    });
  } catch (error) {
    const timedOut = abort.signal.aborted || (error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT';
    const status = timedOut ? 504 : 502;
    finish(status, 0);
    const e = new ApiError(
      status,
      timedOut ? 'upstream_timeout' : 'upstream_unavailable',
      timedOut
        ? `upstream ${route.upstream} did not answer within ${route.timeoutMs} ms`
        : `upstream ${route.upstream} is unreachable`,
      { headers: { 'X-Correlation-ID': correlationId } },
    );
    throw e;
  } finally {
    clearTimeout(headersTimer);
  }

  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(forwardHeaders(Object.entries(upstream.headers), null))) {
    for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
  }
  responseHeaders.set('X-Correlation-ID', correlationId);

  let bytesOut = 0;
  let done = false;
  const settle = () => {
    if (!done) {
      done = true;
      finish(upstream.statusCode, bytesOut);
    }
  };
  const noBody = incoming.method === 'HEAD' || upstream.statusCode === 204 || upstream.statusCode === 304;
  if (noBody) {
    await upstream.body.dump();
    settle();
    return new Response(null, { status: upstream.statusCode, headers: responseHeaders });
  }
  const source = upstream.body;
  const chunks = source[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done: end } = await chunks.next();
        if (end) {
          controller.close();
          settle();
          return;
        }
        bytesOut += value.byteLength;
        controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        settle();
      }
    },
    cancel() {
      source.destroy();
      settle();
    },
  });
  return new Response(stream, { status: upstream.statusCode, headers: responseHeaders });
}

async function* countBytes(
  body: ReadableStream<Uint8Array>,
  add: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    add(chunk.byteLength);
    yield chunk;
  }
}
