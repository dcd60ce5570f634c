import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';

export interface ListenOptions {
  /** `host:port`, e.g. `127.0.0.1:8080` or `[::1]:8080`; port 0 picks a free one. */
  address: string;
  tls?: { certFile: string; keyFile: string };
  /** True when API keys are configured; without them only loopback addresses are allowed. */
  hasKeys: boolean;
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

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
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
  if (!options.hasKeys && !isLoopback(host)) {
    throw new ListenError(
      `refusing to listen on ${host}: no API keys are configured (auth.keys), so only loopback addresses are allowed`,
    );
  }
  const tls = options.tls;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve(
      {
        fetch,
        hostname: host,
        port,
        ...(tls === undefined
          ? {}
          : {
              createServer: createHttpsServer,
              serverOptions: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
            }),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
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
