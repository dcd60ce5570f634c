import type { MiddlewareHandler } from 'hono';
import { type KeyRing, type Principal, presentedKey, type Role } from '../auth/apiKeys.ts';
import { ApiError } from './apiError.ts';

export type AuthEnv = { Variables: { principal: Principal } };

/**
 * Roles that stand in for others: `admin` may do everything in its own tenant; `operator` may read
 * and administer every tenant, but never ingests (it has no tenant to file events under).
 */
const IMPLIED: Record<Role, readonly Role[]> = {
  ingest: [],
  read: [],
  admin: ['ingest', 'read'],
  operator: ['read', 'admin'],
};

export function hasRole(principal: Principal, role: Role): boolean {
  for (const held of principal.roles) if (held === role || IMPLIED[held].includes(role)) return true;
  return false;
}

/**
 * Authenticates the request's key and requires one of `roles` (see IMPLIED). Sets the `principal`
 * context variable, whose tenant every route must use instead of anything in the body.
 */
export function requireRole(ring: KeyRing, roles: readonly Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    c.set('principal', authenticate(ring, c.req.raw.headers, roles));
    await next();
  };
}

/**
 * The principal of the key the headers present (every form `presentedKey` reads), holding one of
 * `roles`; else 401 (no or unknown key) or 403 (a key without the role). HTTP routes and the gRPC
 * listener (its metadata as headers) both check keys here.
 */
export function authenticate(ring: KeyRing, headers: Headers, roles: readonly Role[]): Principal {
  const key = presentedKey(headers);
  const principal = ring.open ? ring.authenticate('') : key === null ? null : ring.authenticate(key);
  if (principal === null) {
    throw new ApiError(
      401,
      key === null ? 'missing_key' : 'invalid_key',
      key === null
        ? 'no API key: send "Authorization: Bearer <key>"'
        : 'the API key is not valid; check it against the keys configured under auth.keys',
    );
  }
  if (!roles.some((r) => hasRole(principal, r))) {
    throw new ApiError(
      403,
      'forbidden',
      `key "${principal.name}" lacks the ${roles.join(' or ')} role for this route`,
    );
  }
  return principal;
}

/** The tenant a key acts in; operator keys have none, so routes that need one refuse them. */
export function ownTenant(principal: Principal): string {
  if (principal.tenant !== null) return principal.tenant;
  throw new ApiError(
    403,
    'forbidden',
    `key "${principal.name}" is an operator key and has no tenant; use a key of the tenant`,
  );
}
