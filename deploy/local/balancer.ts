/**
 * A small TCP balancer for the replicated local deployment (deploy/local/ha): one address in front of
 * several Sluice processes (the gateways, the query processes).
 *
 *   node deploy/local/balancer.ts --listen 127.0.0.1:18080=127.0.0.1:18090,127.0.0.1:18091 [--listen …]
 *
 * Each new connection goes to the next backend in turn among those whose `/readyz` answered 200 at the
 * last check (every second); a backend that refuses the connection (it was killed) is skipped and the
 * next one tried, so a client never sees a dead process's refusal while another is up. When none is
 * ready it still tries them all: a 503 with Retry-After from a gateway tells an agent more than a closed
 * connection. It balances connections, not requests (keep-alive connections stay on their backend until
 * either side closes them), and never retries a request that was already sent: that is the client's call.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

export interface Backend {
  host: string;
  port: number;
}

export interface BalancerOptions {
  listen: Backend;
  backends: Backend[];
  /** How often each backend's /readyz is asked; default 1000 ms. */
  checkEveryMs?: number;
  /** How long one connection attempt to a backend may take before the next is tried; default 2000 ms. */
  connectTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface RunningBalancer {
  port: number;
  /** Which backends answered /readyz 200 at the last check, by `host:port`. */
  ready(): Record<string, boolean>;
  close(): Promise<void>;
}

export async function startBalancer(options: BalancerOptions): Promise<RunningBalancer> {
  const { backends } = options;
  const log = options.log ?? (() => {});
  const checkEveryMs = options.checkEveryMs ?? 1000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  // Unknown until the first check: treated as ready, so the balancer serves from its first second.
  const ready = backends.map(() => true);
  let next = 0;
  const sockets = new Set<Socket>();

  const check = async (i: number) => {
    const b = backends[i];
    let ok = false;
    try {
      const answer = await fetch(`http://${b.host}:${b.port}/readyz`, {
        signal: AbortSignal.timeout(Math.max(500, checkEveryMs * 1.5)),
      });
      await answer.body?.cancel();
      ok = answer.status === 200;
    } catch {
      ok = false; // refused, reset or timed out: not ready, and the reason does not change the answer
    }
    if (ok !== ready[i]) log(`${b.host}:${b.port} ${ok ? 'ready' : 'not ready'}`);
    ready[i] = ok;
  };
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void Promise.all(backends.map((_, i) => check(i))).finally(() => {
      checking = false;
    });
  }, checkEveryMs);

  /** The order to try backends for one connection: ready ones in turn, then the others. */
  const order = (): number[] => {
    const start = next++ % backends.length;
    const turn = backends.map((_, k) => (start + k) % backends.length);
    return [...turn.filter((i) => ready[i]), ...turn.filter((i) => !ready[i])];
  };

  const server: Server = createServer((client) => {
    client.pause();
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const tries = order();
    const attempt = (k: number) => {
      if (client.destroyed) return;
      if (k >= tries.length) {
        client.destroy();
        return;
      }
      const i = tries[k];
      const upstream = connect({ host: backends[i].host, port: backends[i].port });
      upstream.setTimeout(connectTimeoutMs, () => upstream.destroy(new Error('connect timeout')));
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        upstream.setTimeout(0);
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.setNoDelay(true);
        client.setNoDelay(true);
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.resume();
      });
      upstream.on('error', () => {
        if (connected) {
          client.destroy();
          return;
        }
        // Nothing was sent to this backend yet: the next one gets the connection.
        ready[i] = false;
        upstream.destroy();
        attempt(k + 1);
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.listen.port;
  log(
    `listening on ${options.listen.host}:${port} for ${backends.map((b) => `${b.host}:${b.port}`).join(', ')}`,
  );
  return {
    port,
    ready: () => Object.fromEntries(backends.map((b, i) => [`${b.host}:${b.port}`, ready[i]])),
    async close() {
      clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

export function parseHostPort(text: string): Backend {
  const at = text.lastIndexOf(':');
  const port = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`"${text}" is not host:port`);
  }
  return { host: text.slice(0, at), port };
}

/** `listen=backend,backend` */
export function parseListenFlag(text: string): { listen: Backend; backends: Backend[] } {
  const [listen, list] = text.split('=');
  if (list === undefined || list === '')
    throw new Error(`--listen "${text}": expected host:port=host:port,…`);
  return { listen: parseHostPort(listen), backends: list.split(',').map(parseHostPort) };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { listen: { type: 'string', multiple: true } } });
  const log = (message: string) => process.stdout.write(`${new Date().toISOString()} balancer ${message}\n`);
  let specs: Array<{ listen: Backend; backends: Backend[] }>;
  try {
    specs = (values.listen ?? []).map(parseListenFlag);
    if (specs.length === 0)
      throw new Error('usage: node deploy/local/balancer.ts --listen host:port=host:port,… …');
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const running = await Promise.all(specs.map((spec) => startBalancer({ ...spec, log })));
  const stop = () => {
    void Promise.all(running.map((r) => r.close())).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
