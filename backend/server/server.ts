import { Hono } from 'hono';
import { apiErrorHandler, notFound } from '../../core/http/errorHandler.ts';
import { listen } from '../../core/http/listen.ts';
import type { Logger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import { createGateway } from '../../gateway/app.ts';
import { createGatewayMetrics } from '../../gateway/metrics.ts';
import type { ServerConfig } from '../config/schema.ts';
import { startQueryRole } from '../query/queryRole.ts';
import { gatewayOptionsFromConfig } from '../roles/gatewayOptions.ts';
import { openBus } from '../runtime/openBus.ts';
import { sharedStores } from '../runtime/openStores.ts';
import type { RoleHandle, ServerContext } from './context.ts';
import { mountHealth, mountReadiness } from './health.ts';
import { startWorkerRoles } from './workerRoles.ts';

export interface RunningServer {
  /** Base URL of the HTTP listener (gateway and/or query API, or a worker's health and metrics). */
  url: string | null;
  context: ServerContext;
  stop(): Promise<void>;
}

/**
 * Starts the roles `config.roles` names in this process, on the engines the config names. With every
 * role and the embedded engines this is standalone Sluice; with some roles and Kafka/OpenSearch/PostgreSQL/
 * S3 it is one process of a distributed deployment. Stopping goes in reverse: HTTP first (no new work),
 * then workers (drain and commit), then the bus.
 */
export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  const roles = new Set(config.roles);
  const { bus, topics } = await openBus(config.bus, log);
  const registry = new MetricsRegistry();
  const stores = sharedStores(config, log);
  const context: ServerContext = { config, bus, topics, log, registry, stores };
  const handles: RoleHandle[] = [];

  let url: string | null = null;
  let closeHttp = async () => {};
  try {
    handles.push(...(await startWorkerRoles(context, roles)));
    const app = new Hono();
    // Routes mounted from sub-apps without their own handler (the query API, health) throw ApiErrors up
    // to this app: without these, every 400/401/403/429 of the query API would answer a bare 500.
    app.onError(apiErrorHandler(log));
    app.notFound(notFound);
    const gateway = roles.has('gateway')
      ? createGateway(
          gatewayOptionsFromConfig(config, {
            bus,
            rawTopic: topics.raw,
            log: log.child({ role: 'gateway' }),
            metrics: createGatewayMetrics(registry),
          }),
        )
      : null;
    // Ahead of the gateway's routes: its own /readyz knows only the bus, not the stores of the other roles.
    mountReadiness(app, context);
    if (gateway !== null) {
      app.route('/', gateway.app);
      handles.push({ name: 'gateway', stop: () => gateway.close() });
    } else {
      mountHealth(app, context);
    }
    if (roles.has('query')) {
      const query = await startQueryRole(context);
      query.mount(app);
      handles.push({ name: 'query', stop: () => query.stop() });
    }
    // Every process listens: the gateway's address, else the query API's, else (workers only) for metrics.
    const address = roles.has('gateway')
      ? config.listen.gateway
      : roles.has('query')
        ? config.listen.query
        : config.listen.metrics;
    const server = await listen(app.fetch, {
      address,
      hasKeys: config.auth.keys.length > 0,
      tls:
        config.tls === undefined
          ? undefined
          : { certFile: config.tls.cert_file, keyFile: config.tls.key_file },
    });
    url = server.url;
    closeHttp = () => server.close();
    if (config.auth.keys.length === 0 && (roles.has('gateway') || roles.has('query'))) {
      log.warn(
        'no API keys configured (auth.keys): open to anyone on this machine, listening on loopback only',
        { url },
      );
    }
    log.info('listening', { url, roles: [...roles] });
  } catch (error) {
    for (const h of handles.reverse()) await h.stop().catch(() => undefined);
    await stores.close();
    await bus.close();
    throw error;
  }

  return {
    url,
    context,
    async stop() {
      await closeHttp();
      for (const h of handles.reverse()) {
        try {
          await h.stop();
        } catch (error) {
          log.error('role did not stop cleanly', { role: h.name, error: (error as Error).message });
        }
      }
      await stores.close();
      await bus.close();
    },
  };
}
