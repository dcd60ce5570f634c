import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { type ServerType, serve } from '@hono/node-server';
import { capPerKey } from '../limits/keyConcurrency.ts';
import { isLoopbackHost } from '../net/loopback.ts';
import { guardOpenMode } from './openMode.ts';

/** Bounds on what one connection or key may hold of a server (config `limits.server`). */
export interface ServerLimits {
  /** Time a client has to send the request headers; then 408 and the connection is closed. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, body included; then 408. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open. */
  keepAliveTimeoutMs: number;
  /** Open connections at once; more are closed as they arrive. */
  maxConnections: number;
  /** Requests one API key may have in progress at once; more answer 429. */
  perKeyConcurrency: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  perKeyConcurrency: 64,
};

export interface ListenOptions {
  /** `host:port`, e.g. `127.0.0.1:8080` or `[::1]:8080`; port 0 picks a free one. */
  address: string;
  tls?: { certFile: string; keyFile: string };
  /** True when API keys are configured; without them only loopback addresses are allowed. */
  hasKeys: boolean;
  limits?: ServerLimits;
}

export class ListenError extends Error {
  readonly code = 'listen_refused';
}

export function parseAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(address.trim());
  if (m === null || Number(m[2]) > 65535) {
    throw new ListenError(`listen address "${address}" is not host:port (e.g. 127.0.0.1:8080)`);
  }
  return { host: m[1] === '' ? '0.0.0.0' : m[1], port: Number(m[2]) };
}

/**
 * Starts an HTTP(S) server for a fetch handler. Without API keys a Sluice server is open to anyone who
 * can reach it, so it refuses any non-loopback address in that case rather than exposing logs.
 */
export async function listen(
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>,
  options: ListenOptions,
): Promise<{ server: ServerType; url: string; close(): Promise<void> }> {
  const { host, port } = parseAddress(options.address);
  if (!options.hasKeys && !isLoopbackHost(host)) {
    throw new ListenError(
      `refusing to listen on ${host}: no API keys are configured (auth.keys), so only loopback addresses are allowed`,
    );
  }
  const tls = options.tls;
  const limits = options.limits ?? DEFAULT_SERVER_LIMITS;
  // Node checks the header and request timeouts on this interval (30 s by default): keep it well
  // below the shortest timeout so a slow client is cut off close to when it should be.
  const timeouts = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, limits.headersTimeoutMs / 4)),
  };
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve(
      {
        fetch: capPerKey(options.hasKeys ? fetch : guardOpenMode(fetch), limits.perKeyConcurrency),
        hostname: host,
        port,
        serverOptions: timeouts,
        ...(tls === undefined
          ? {}
          : {
              createServer: createHttpsServer,
              serverOptions: {
                ...timeouts,
                cert: readFileSync(tls.certFile),
                key: readFileSync(tls.keyFile),
              },
            }),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  server.maxConnections = limits.maxConnections;
  (server as { keepAliveTimeout?: number }).keepAliveTimeout = limits.keepAliveTimeoutMs;
  const bound = server.address();
  const actualPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `${tls === undefined ? 'http' : 'https'}://${shownHost}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
  };
}
