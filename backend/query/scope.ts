import type { Principal } from '../../core/auth/apiKeys.ts';
import { TENANT_NAME, TENANT_NAME_RULE } from '../../core/auth/tenantName.ts';
import { ApiError } from '../../core/http/apiError.ts';

/** What one request may see: a tenant (null = every tenant, operators only) and, for scoped keys, services. */
export interface Scope {
  tenant: string | null;
  services?: string[];
}

/**
 * Tenancy is decided here and only here, for the query and alerts APIs alike: a read or admin key sees
 * its own tenant (and only its services when scoped); an operator key sees every tenant, or one it names
 * with `tenant=`. Nothing in the query text, the cursor, the body or the path can widen this.
 */
export function scopeOf(principal: Principal, requestedTenant: string | undefined): Scope {
  const requested = requestedTenant === undefined || requestedTenant === '' ? undefined : requestedTenant;
  if (requested !== undefined && !TENANT_NAME.test(requested)) {
    throw new ApiError(
      400,
      'bad_tenant',
      `tenant= is not a tenant name (${TENANT_NAME_RULE}); leave it out to use the key's own tenant`,
    );
  }
  if (principal.roles.has('operator')) return { tenant: requested ?? null };
  if (principal.tenant === null || (requested !== undefined && requested !== principal.tenant)) {
    throw new ApiError(
      403,
      'forbidden',
      `key "${principal.name}" may use tenant "${principal.tenant}" only; every tenant needs an operator key`,
    );
  }
  return {
    tenant: principal.tenant,
    services: principal.services === undefined ? undefined : [...principal.services],
  };
}
