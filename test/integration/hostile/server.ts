/**
 * A standalone Sluice (every role, embedded engines) started in this process for the hostile-input suite:
 * two tenants, each with ingest, read, admin and a service-scoped key; an operator key; a proxy route in
 * front of a local upstream, and a second listener no request may ever reach; the gateway's OTLP/gRPC
 * listener on a port of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverConfigSchema } from '../../../backend/config/schema.ts';
import { type RunningServer, startServer } from '../../../backend/server/server.ts';
import { sha256Hex } from '../../../core/auth/apiKeys.ts';
import { parseConfig } from '../../../core/config/parseConfig.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { freePort } from '../../helpers/freePort.ts';

export const KEYS = {
  acmeIngest: 'hostile-acme-ingest',
  acmeRead: 'hostile-acme-read',
  acmeAdmin: 'hostile-acme-admin',
  acmeCheckout: 'hostile-acme-checkout',
  globexIngest: 'hostile-globex-ingest',
  globexRead: 'hostile-globex-read',
  globexAdmin: 'hostile-globex-admin',
  operator: 'hostile-operator',
} as const;
export type KeyName = keyof typeof KEYS;

export interface HostileServer {
  url: string;
  /** `host:port` of the gateway's OTLP/gRPC listener. */
  grpcAddress: string;
  /** Paths the proxy's upstream was asked for, and those the "other host" got (must stay empty). */
  upstreamSeen: string[];
  otherSeen: string[];
  otherPort: number;
  stop(): Promise<void>;
}

function recorder(seen: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.end('upstream'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function startHostileServer(): Promise<HostileServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-hostile-'));
  const upstreamSeen: string[] = [];
  const otherSeen: string[] = [];
  const upstream = await recorder(upstreamSeen);
  const other = await recorder(otherSeen);
  const key = (name: KeyName, tenant: string | null, roles: string, services?: string) =>
    `    - { name: ${name}, key_sha256: ${sha256Hex(KEYS[name])}${tenant === null ? '' : `, tenant: ${tenant}`}, roles: [${roles}]${services === undefined ? '' : `, services: [${services}]`} }`;
  const grpcAddress = `127.0.0.1:${await freePort()}`;
  const yaml = `
listen: { gateway: "127.0.0.1:0", otlp_grpc: "${grpcAddress}" }
bus: { dir: ${dir}/bus, partitions: 2 }
search: { path: ${dir}/search }
metrics: { path: ${dir}/metrics.db }
archive: { dir: ${dir}/archive }
limits:
  max_body: 64KiB
  max_records: 100
  server: { header_timeout: 2s, request_timeout: 4s }
auth:
  keys:
${[
  key('acmeIngest', 'acme', 'ingest'),
  key('acmeRead', 'acme', 'read'),
  key('acmeAdmin', 'acme', 'admin'),
  key('acmeCheckout', 'acme', 'ingest, read', 'checkout'),
  key('globexIngest', 'globex', 'ingest'),
  key('globexRead', 'globex', 'read'),
  key('globexAdmin', 'globex', 'admin'),
  key('operator', null, 'operator'),
].join('\n')}
proxy:
  routes:
    - { prefix: /svc, upstream: "http://127.0.0.1:${(upstream.address() as AddressInfo).port}", tenant: acme }
`;
  const config = parseConfig(yaml, 'sluice.yaml', serverConfigSchema);
  let server: RunningServer;
  try {
    server = await startServer(config, silentLogger);
  } catch (error) {
    upstream.close();
    other.close();
    throw error;
  }
  return {
    url: server.url as string,
    grpcAddress,
    upstreamSeen,
    otherSeen,
    otherPort: (other.address() as AddressInfo).port,
    async stop() {
      await server.stop();
      upstream.close();
      other.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
