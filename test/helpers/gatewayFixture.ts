import { createKeyRing, sha256Hex } from '../../core/auth/apiKeys.ts';
import { silentLogger } from '../../core/log/logger.ts';
import type { Bus } from '../../core/ports/bus.ts';
import { createGateway, type Gateway, type GatewayLimits, type GatewayOptions } from '../../gateway/app.ts';

/** Keys used by gateway tests: one per role, and one of another tenant. */
export const TEST_KEYS = {
  ingest: 'k-ingest-acme',
  read: 'k-read-acme',
  admin: 'k-admin',
  otherTenant: 'k-ingest-globex',
};

export const TEST_LIMITS: GatewayLimits = {
  maxBodyBytes: 1024 * 1024,
  maxDecodedBytes: 4 * 1024 * 1024,
  maxRecords: 1000,
  maxFields: 200,
  maxDepth: 10,
  maxMessageBytes: 64 * 1024,
  rate: { rate: 0, burst: 0 },
};

export function testGateway(
  bus: Bus,
  overrides: { limits?: Partial<GatewayLimits> } & Pick<GatewayOptions, 'listen' | 'server'> = {},
): Gateway {
  return createGateway({
    bus,
    rawTopic: 'logs.raw',
    keys: createKeyRing([
      { name: 'ingest', key_sha256: sha256Hex(TEST_KEYS.ingest), tenant: 'acme', roles: ['ingest'] },
      { name: 'read', key_sha256: sha256Hex(TEST_KEYS.read), tenant: 'acme', roles: ['read'] },
      { name: 'admin', key_sha256: sha256Hex(TEST_KEYS.admin), tenant: 'ops', roles: ['admin'] },
      { name: 'globex', key_sha256: sha256Hex(TEST_KEYS.otherTenant), tenant: 'globex', roles: ['ingest'] },
    ]),
    limits: { ...TEST_LIMITS, ...overrides.limits },
    log: silentLogger,
    listen: overrides.listen,
    server: overrides.server,
  });
}
