import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `ingest`, `read` and `admin` act on the key's own tenant (admin: everything there, alert rules
 * included); `operator` reads and administers every tenant and is never given one (config refuses it).
 */
export const ROLES = ['ingest', 'read', 'admin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** An API key as configured: only its SHA-256 is stored, never the key itself. */
export interface ApiKeyConfig {
  name: string;
  key_sha256: string;
  /** Absent only on operator keys. */
  tenant?: string;
  roles: readonly Role[];
  /** Read keys scoped to these services see only their events. */
  services?: readonly string[];
}

/** Who a request is, once its key checked out. `tenant: null`: an operator key, which has none. */
export interface Principal {
  name: string;
  tenant: string | null;
  roles: ReadonlySet<Role>;
  services?: readonly string[];
  /** True when no keys are configured and the server runs open on loopback. */
  anonymous: boolean;
}

export interface KeyRing {
  /** The principal of a presented key, or null when no configured key matches. */
  authenticate(presented: string): Principal | null;
  /** True when no keys are configured (open on loopback only). */
  readonly open: boolean;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Every configured digest is compared, each in constant time, so neither the result nor the time taken
 * tells an attacker how close a guess came or which key it resembled.
 */
export function createKeyRing(keys: readonly ApiKeyConfig[], openTenant = 'default'): KeyRing {
  const entries = keys.map((k) => ({ digest: Buffer.from(k.key_sha256.toLowerCase(), 'hex'), config: k }));
  for (const e of entries) {
    if (e.digest.length !== 32)
      throw new Error(`auth key "${e.config.name}": key_sha256 must be 64 hex characters`);
  }
  const anonymous: Principal = {
    name: 'anonymous',
    tenant: openTenant,
    roles: new Set(ROLES),
    anonymous: true,
  };
  return {
    open: entries.length === 0,
    authenticate(presented) {
      if (entries.length === 0) return anonymous;
      const digest = createHash('sha256').update(presented).digest();
      let found: ApiKeyConfig | null = null;
      for (const e of entries) {
        if (timingSafeEqual(digest, e.digest) && found === null) found = e.config;
      }
      if (found === null) return null;
      return {
        name: found.name,
        tenant: found.tenant ?? null,
        roles: new Set(found.roles),
        services: found.services,
        anonymous: false,
      };
    },
  };
}

/**
 * The key presented on a request: `Authorization: Bearer <key>` (Sluice, OTLP exporters, Promtail),
 * `Authorization: ApiKey <key>` (Elasticsearch clients), `Authorization: Basic base64(user:key)`
 * (Fluent Bit's and Filebeat's Elasticsearch outputs: the password is the key), or `X-API-Key`.
 */
export function presentedKey(headers: Headers): string | null {
  const auth = headers.get('authorization');
  if (auth !== null) {
    const space = auth.indexOf(' ');
    const scheme = (space === -1 ? auth : auth.slice(0, space)).toLowerCase();
    const value = space === -1 ? '' : auth.slice(space + 1).trim();
    if (value === '') return null;
    // `Splunk <token>` is how Splunk HEC clients send theirs (gateway/protocols/splunk-hec).
    if (scheme === 'bearer' || scheme === 'apikey' || scheme === 'splunk') return value;
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon === -1 ? decoded : decoded.slice(colon + 1);
    }
    return null;
  }
  return headers.get('x-api-key');
}
