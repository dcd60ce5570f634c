import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { splitHostPort } from '../../core/config/fields/address.ts';
import type { Logger } from '../../core/log/logger.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../../core/metrics/registry.ts';

/** What `/healthz` answers: the process is alive; `status` says how well it is doing its job. */
export interface Health {
  /** `ok`; `degraded` while the gateway is away or refuses the key (data is spooled, not lost); `stopping`. */
  status: 'ok' | 'degraded' | 'stopping';
  version: string;
  uptime_seconds: number;
  gateway: { url: string; state: 'ok' | 'retrying' | 'misconfigured' };
  spool: { bytes: number; files: number };
  queued_batches: number;
  /** True while inputs wait because memory and spool are full (backpressure). */
  blocked: boolean;
  inputs: number;
}

export interface MetricsServerOptions {
  /** `host:port`; port 0 picks a free one (tests). */
  listen: string;
  metrics: () => Promise<string>;
  health: () => Health;
  log: Logger;
}

export interface MetricsServer {
  /** `http://host:port` actually bound. */
  url: string;
  close(): Promise<void>;
}

/**
 * The agent's own HTTP endpoint: `GET /healthz` and `GET /metrics` (Prometheus text). node:http rather
 * than Hono: two routes do not need a framework, and it keeps the single binary small and the code
 * runnable under Deno's node: compatibility as is.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const address = splitHostPort(options.listen);
  if (address === undefined) throw new Error(`metrics.listen "${options.listen}" is not host:port`);
  const { host, port } = address;
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.log.error('metrics endpoint failed', { error: String(error) });
      if (!res.headersSent) send(res, 500, 'application/json', errorBody('internal', 'metrics failed'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Scrapers keep connections alive; they must not hold the process open after shutdown.
  server.unref();
  const bound = server.address();
  const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: MetricsServerOptions,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'application/json', errorBody('method_not_allowed', 'use GET'));
    return;
  }
  if (path === '/healthz') {
    const health = options.health();
    send(res, health.status === 'stopping' ? 503 : 200, 'application/json', `${JSON.stringify(health)}\n`);
  } else if (path === '/metrics') {
    send(res, 200, PROMETHEUS_CONTENT_TYPE, await options.metrics());
  } else {
    send(res, 404, 'application/json', errorBody('not_found', 'the agent serves /healthz and /metrics'));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function errorBody(code: string, message: string): string {
  return `${JSON.stringify({ error: { code, message } })}\n`;
}
