import { Hono } from 'hono';
import type { KeyRing } from '../core/auth/apiKeys.ts';
import { type AuthEnv, requireRole } from '../core/http/auth.ts';
import { apiErrorHandler, notFound } from '../core/http/errorHandler.ts';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../core/http/listen.ts';
import { createRateLimiter, type RateLimit } from '../core/limits/rateLimiter.ts';
import type { Logger } from '../core/log/logger.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../core/metrics/registry.ts';
import type { Bus } from '../core/ports/bus.ts';
import type { BodyLimits } from './body/readBody.ts';
import type { IngestDeps, IngestLimits } from './ingest/ingestBatch.ts';
import { createGatewayMetrics, type GatewayMetrics, SERVED_ROUTE } from './metrics.ts';
import type { ListenerProtocol, RunningListener } from './protocols/listenerProtocol.ts';
import { mountProtocols } from './protocols/mountProtocols.ts';
import { HTTP_PROTOCOLS, LISTENER_PROTOCOLS } from './protocols/registry.ts';
import { type AccessLog, createAccessLog } from './proxy/accessLog.ts';
import { mountProxy, type ProxyRoute } from './proxy/reverseProxy.ts';

export interface GatewayLimits extends BodyLimits, IngestLimits {
  /** Records a second per tenant (rate 0: unlimited), the burst allowed above it, per-tenant overrides. */
  rate: RateLimit & { tenants?: Record<string, RateLimit> };
}

export interface GatewayOptions {
  bus: Bus;
  rawTopic: string;
  keys: KeyRing;
  limits: GatewayLimits;
  proxy?: { routes: readonly ProxyRoute[] };
  metrics?: GatewayMetrics;
  log: Logger;
  host?: string;
  /** Addresses of the protocols with a listener of their own (`listen.otlp_grpc`); absent: not started. */
  listen?: Partial<Record<ListenerProtocol['listenKey'], string>>;
  /** `limits.server` and `tls`, which those listeners keep as the HTTP listener does. */
  server?: ServerLimits;
  tls?: { certFile: string; keyFile: string };
}

export interface Gateway {
  app: Hono<AuthEnv>;
  metrics: GatewayMetrics;
  accessLog: AccessLog | null;
  /** Starts the listeners `options.listen` names (OTLP/gRPC), on the same ingest as the HTTP routes. */
  startListeners(): Promise<Array<{ protocol: string; listener: RunningListener }>>;
  /** Closes the listeners first (no new work), then the access log and the proxy. */
  close(): Promise<void>;
}

/** The gateway's HTTP surface (contracts.md §2): ingest (protocols/registry.ts), health, metrics, proxy. */
export function createGateway(options: GatewayOptions): Gateway {
  const metrics = options.metrics ?? createGatewayMetrics();
  const app = new Hono<AuthEnv>();
  app.onError(apiErrorHandler(options.log));
  app.notFound(notFound);

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.get(SERVED_ROUTE) ?? c.req.routePath ?? 'unmatched';
    metrics.requests.inc({ route, status: String(c.res.status) });
    metrics.latency.observe((performance.now() - started) / 1000, { route });
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ready = await options.bus.ready().catch(() => false);
    return c.json({ status: ready ? 'ready' : 'bus unreachable' }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) =>
    c.body(await metrics.registry.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }),
  );

  const deps: IngestDeps = {
    bus: options.bus,
    topic: options.rawTopic,
    limits: options.limits,
    rateLimiter: createRateLimiter(options.limits.rate),
    metrics,
  };
  mountProtocols(app, HTTP_PROTOCOLS, requireRole(options.keys, ['ingest']), deps, options.limits);

  let accessLog: AccessLog | null = null;
  let closeProxy = async () => {};
  if (options.proxy !== undefined && options.proxy.routes.length > 0) {
    accessLog = createAccessLog({
      bus: options.bus,
      topic: options.rawTopic,
      host: options.host,
      log: options.log,
    });
    const dispatcher = mountProxy(app as unknown as Hono, options.proxy.routes, { accessLog, metrics });
    closeProxy = () => dispatcher.close();
  }

  const listeners: Array<{ protocol: string; listener: RunningListener }> = [];
  return {
    app,
    metrics,
    accessLog,
    async startListeners() {
      for (const protocol of LISTENER_PROTOCOLS) {
        const address = options.listen?.[protocol.listenKey];
        if (address === undefined) continue;
        const listener = await protocol.start(address, {
          ingest: deps,
          keys: options.keys,
          body: options.limits,
          server: options.server ?? DEFAULT_SERVER_LIMITS,
          tls: options.tls,
          log: options.log.child({ protocol: protocol.name }),
        });
        listeners.push({ protocol: protocol.name, listener });
        options.log.info('protocol listener started', { protocol: protocol.name, url: listener.url });
      }
      return listeners;
    },
    async close() {
      await Promise.all(listeners.splice(0).map(({ listener }) => listener.close()));
      await accessLog?.close();
      await closeProxy();
    },
  };
}
