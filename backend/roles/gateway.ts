import { hostname } from 'node:os';
import { createKeyRing } from '../../core/auth/apiKeys.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { Bus } from '../../core/ports/bus.ts';
import { createGateway, type GatewayOptions } from '../../gateway/app.ts';
import { createGatewayMetrics, type GatewayMetrics } from '../../gateway/metrics.ts';
import { failed, passed } from '../checks/result.ts';
import { eventTimeWindowOf, serverLimitsOf } from '../config/access.ts';
import type { ServerConfig } from '../config/schema.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';

/** The gateway: ingest and the reverse proxy over HTTP, into logs.raw. Its app serves health and metrics. */
export async function startRole(ctx: ServerContext): Promise<RoleHandle> {
  const gateway = createGateway(
    gatewayOptionsFromConfig(ctx.config, {
      bus: ctx.bus,
      rawTopic: ctx.topics.raw,
      log: ctx.log.child({ role: 'gateway' }),
      metrics: createGatewayMetrics(ctx.registry),
    }),
  );
  let listeners: Awaited<ReturnType<typeof gateway.startListeners>>;
  try {
    listeners = await gateway.startListeners();
  } catch (error) {
    await gateway.close();
    throw error;
  }
  return {
    name: 'gateway',
    mount: (app) => app.route('/', gateway.app),
    ownsHealth: true,
    // /readyz names a listener (OTLP/gRPC) that stopped accepting connections.
    probes: listeners.map(({ protocol, listener }) => ({
      component: `listen.${protocol}`,
      kind: listener.url,
      probe: async () =>
        listener.listening()
          ? passed('accepting connections')
          : failed('stopped accepting connections: see the log; restart the process'),
    })),
    stop: () => gateway.close(),
  };
}

/** The gateway's options from `sluice.yaml`: limits, keys, rates and proxy routes. */
export function gatewayOptionsFromConfig(
  config: ServerConfig,
  deps: { bus: Bus; rawTopic: string; log: Logger; metrics?: GatewayMetrics },
): GatewayOptions {
  const limits = config.limits;
  const rate = (r: { events_per_second?: number; burst?: number }) => ({
    rate: r.events_per_second ?? 0,
    burst: r.burst ?? r.events_per_second ?? 0,
  });
  return {
    bus: deps.bus,
    rawTopic: deps.rawTopic,
    keys: createKeyRing(config.auth.keys, config.auth.default_tenant),
    log: deps.log,
    metrics: deps.metrics,
    host: hostname(),
    listen: { otlp_grpc: config.listen.otlp_grpc },
    server: serverLimitsOf(config.limits.server),
    tls:
      config.tls === undefined ? undefined : { certFile: config.tls.cert_file, keyFile: config.tls.key_file },
    limits: {
      // The wire size can only be smaller than the decoded size for a well-formed compressed body.
      maxBodyBytes: limits.max_body,
      maxDecodedBytes: limits.max_body,
      maxRecords: limits.max_records,
      maxFields: limits.max_fields,
      maxDepth: limits.max_depth,
      maxMessageBytes: limits.max_line,
      eventTimeWindow: eventTimeWindowOf(limits.event_time, config.retention.search),
      rate: {
        ...rate(limits.rate),
        tenants: Object.fromEntries(Object.entries(limits.rate.tenants).map(([t, r]) => [t, rate(r)])),
      },
    },
    proxy: {
      routes: config.proxy.routes.map((r) => ({
        prefix: r.prefix,
        upstream: r.upstream,
        timeoutMs: r.timeout,
        tenant: r.tenant,
        service: r.service ?? (r.prefix.replace(/^\/+/, '').split('/')[0] || 'gateway'),
      })),
    },
  };
}
