import type { Principal } from '../../core/auth/apiKeys.ts';
import { ApiError } from '../../core/http/apiError.ts';

/** What one request may see: a tenant (null = every tenant, admins only) and, for scoped keys, services. */
export interface Scope {
  tenant: string | null;
  services?: string[];
}

/**
 * Tenancy is decided here and only here: a read key sees its own tenant (and only its services when
 * scoped); an admin key sees every tenant, or one it names with `tenant=`. Nothing in the query text, the
 * cursor or the path can widen this.
 */
export function scopeOf(principal: Principal, requestedTenant: string | undefined): Scope {
  if (principal.roles.has('admin')) {
    return { tenant: requestedTenant === undefined || requestedTenant === '' ? null : requestedTenant };
  }
  if (requestedTenant !== undefined && requestedTenant !== '' && requestedTenant !== principal.tenant) {
    throw new ApiError(
      403,
      'forbidden',
      `key "${principal.name}" may read tenant "${principal.tenant}" only`,
    );
  }
  return {
    tenant: principal.tenant,
    services: principal.services === undefined ? undefined : [...principal.services],
  };
}
