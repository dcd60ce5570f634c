import { createServer } from 'node:net';
import { splitHostPort } from '../../core/config/fields/address.ts';
import type { ServerConfig } from '../config/schema.ts';
import { ROLES, type RoleSpec } from '../roles/table.ts';
import { type CheckResult, errorCode, failed, messageOf, passed } from './result.ts';

/**
 * The one address a server process listens on: that of the first of its roles (table order) that serves
 * HTTP, so the gateway's when it runs the gateway (standalone serves the query API there too), else the
 * query API's; with neither (workers only), the metrics address.
 */
export function listenAddressOf(
  roles: ReadonlySet<string>,
  listen: ServerConfig['listen'],
): { key: string; address: string } {
  const serving = (ROLES as readonly RoleSpec[]).find(
    (role) => role.serves !== undefined && roles.has(role.name),
  );
  const which = serving?.serves ?? 'metrics';
  return { key: `listen.${which}`, address: listen[which] };
}

/** Every address a server process listens on: the one above, and the gateway's OTLP/gRPC listener when set. */
export function listenAddressesOf(
  roles: ReadonlySet<string>,
  listen: ServerConfig['listen'],
): Array<{ key: string; address: string }> {
  const addresses = [listenAddressOf(roles, listen)];
  if (roles.has('gateway') && listen.otlp_grpc !== undefined)
    addresses.push({ key: 'listen.otlp_grpc', address: listen.otlp_grpc });
  return addresses;
}

/** Whether this process could listen on `address` now: bound and released at once. */
export async function checkBindable(address: string, key: string): Promise<CheckResult> {
  const parts = splitHostPort(address);
  if (parts === undefined) return failed(`${address} is not host:port: fix ${key}`);
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: parts.host, port: parts.port, exclusive: true }, resolve);
    });
    return passed(`${address} can be listened on`);
  } catch (error) {
    return failed(`${address}: ${describe(error, key)}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function describe(error: unknown, key: string): string {
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return `already in use: stop the process listening there or change ${key}`;
    case 'EADDRNOTAVAIL':
      return `not an address of this machine: change ${key}`;
    case 'EACCES':
      return `not allowed to listen there (ports below 1024 need privileges): change ${key}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name does not resolve: change ${key}`;
    default:
      return `${messageOf(error)}: change ${key}`;
  }
}
