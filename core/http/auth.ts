import type { MiddlewareHandler } from 'hono';
import { type KeyRing, type Principal, presentedKey, type Role } from '../auth/apiKeys.ts';
import { ApiError } from './apiError.ts';

export type AuthEnv = { Variables: { principal: Principal } };

/**
 * Authenticates the request's key and requires one of `roles` (admin always passes). Sets the
 * `principal` context variable, whose tenant every route must use instead of anything in the body.
 */
export function requireRole(ring: KeyRing, roles: readonly Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const key = presentedKey(c.req.raw.headers);
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
    if (!principal.roles.has('admin') && !roles.some((r) => principal.roles.has(r))) {
      throw new ApiError(
        403,
        'forbidden',
        `key "${principal.name}" lacks the ${roles.join(' or ')} role for this route`,
      );
    }
    c.set('principal', principal);
    await next();
  };
}
