import { Hono } from 'hono';
import { apiErrorHandler, notFound } from '../../core/http/errorHandler.ts';
import { listen } from '../../core/http/listen.ts';
import type { Logger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { Bus } from '../../core/ports/bus.ts';
import { listenAddressOf } from '../checks/listenAddress.ts';
import { serverLimitsOf } from '../config/access.ts';
import type { ServerConfig } from '../config/schema.ts';
import { loadRole } from '../roles/loadRole.ts';
import { ROLES } from '../roles/table.ts';
import { openBus } from '../runtime/openBus.ts';
import { sharedStores } from '../runtime/openStores.ts';
import type { Topics } from '../runtime/topics.ts';
import type { RoleHandle, ServerContext } from './context.ts';
import { mountHealth, mountReadiness, type Readiness, readinessChecks } from './health.ts';

/** How a process of a port shared by several gateway processes differs (gatewayProcesses/). */
export interface ServerOptions {
  /** A bus opened elsewhere (a gateway process's bus over IPC) instead of the one the config names. */
  bus?: { bus: Bus; topics: Topics };
  /** Listen here instead of the roles' address (the primary's own listener, on loopback). */
  address?: string;
  /**
   * What this process logs once it listens, instead of "listening": that line means the port is served
   * (operators and the test harness read its URL), which only the primary knows once every gateway
   * process listens.
   */
  listening?: string;
  /** Routes ahead of the roles' (a gateway process's merged /metrics). */
  before?(app: Hono, context: ServerContext): void;
  /** Routes after the roles' (a gateway process passing the rest to the primary). */
  after?(app: Hono): void;
  /** Checks /readyz makes besides this process's own (a primary's: its gateway processes'). */
  readiness?(): Promise<Readiness[]>;
}

export interface RunningServer {
  /** Base URL of the HTTP listener (gateway and/or query API, or a worker's health and metrics). */
  url: string | null;
  context: ServerContext;
  /** This process's own readiness checks (its bus, stores and listeners), as /readyz makes them. */
  readiness(): Promise<Readiness[]>;
  stop(): Promise<void>;
}

/**
 * Starts the roles `config.roles` names in this process, on the engines the config names. With every
 * role and the embedded engines this is standalone Sluice; with some roles and Kafka/OpenSearch/PostgreSQL/
 * S3 it is one process of a distributed deployment. Stopping goes in reverse: HTTP first (no new work),
 * then workers (drain and commit), then the bus.
 */
export async function startServer(
  config: ServerConfig,
  log: Logger,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const roles = ROLES.filter((role) => config.roles.includes(role.name));
  const { bus, topics } = options.bus ?? (await openBus(config.bus, log));
  const registry = new MetricsRegistry();
  const stores = sharedStores(config, log);
  const context: ServerContext = { config, bus, topics, log, registry, stores };
  const handles: RoleHandle[] = [];

  let url: string | null = null;
  let closeHttp = async () => {};
  let readiness = async (): Promise<Readiness[]> => [];
  try {
    for (const role of roles) {
      const startRole = await loadRole(role.name);
      handles.push(await startRole(context));
    }
    const app = new Hono();
    // Routes mounted from sub-apps without their own handler (the query API, health) throw ApiErrors up
    // to this app: without these, every 400/401/403/429 of the query API would answer a bare 500.
    app.onError(apiErrorHandler(log));
    app.notFound(notFound);
    // Ahead of the gateway's routes: its own /readyz knows only the bus, not the stores of the other roles.
    options.before?.(app, context);
    readiness = readinessChecks(context, handles);
    const more = options.readiness;
    mountReadiness(
      app,
      more === undefined ? readiness : async () => (await Promise.all([readiness(), more()])).flat(),
    );
    if (!handles.some((h) => h.ownsHealth)) mountHealth(app, context);
    for (const h of handles) h.mount?.(app);
    options.after?.(app);
    // Every process listens: on its first serving role's address, else (no API) for health and metrics.
    const address = options.address ?? listenAddressOf(new Set(config.roles), config.listen).address;
    const server = await listen(app.fetch, {
      address,
      hasKeys: config.auth.keys.length > 0,
      limits: serverLimitsOf(config.limits.server),
      tls:
        config.tls === undefined
          ? undefined
          : { certFile: config.tls.cert_file, keyFile: config.tls.key_file },
    });
    url = server.url;
    closeHttp = () => server.close();
    if (config.auth.keys.length === 0 && roles.some((role) => 'serves' in role)) {
      log.warn(
        'no API keys configured (auth.keys): open to anyone on this machine, listening on loopback only',
        { url },
      );
    }
    log.info(options.listening ?? 'listening', { url, roles: roles.map((role) => role.name) });
  } catch (error) {
    for (const h of handles.reverse()) await h.stop().catch(() => undefined);
    await stores.close();
    await bus.close();
    throw error;
  }

  return {
    url,
    context,
    readiness: () => readiness(),
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
