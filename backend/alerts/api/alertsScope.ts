import type { Principal } from '../../../core/auth/apiKeys.ts';
import { ApiError } from '../../../core/http/apiError.ts';
import { scopeOf } from '../../query/scope.ts';

/**
 * Tenancy of the alerts API: that of the query API (scopeOf), and keys scoped to services are refused:
 * a rule counts events of every service of its tenant, so its counts and groups would show such a key
 * what its scope hides.
 */
export function alertsScope(principal: Principal, requested: string | undefined): { tenant: string | null } {
  const scope = scopeOf(principal, requested);
  if (scope.services !== undefined) {
    throw new ApiError(
      403,
      'forbidden',
      `key "${principal.name}" is limited to some services; alert rules count every service of the tenant, so they need a key without a services list`,
    );
  }
  return { tenant: scope.tenant };
}

/** The tenant one rule belongs to in a single-rule route: the one asked for, else the key's own. */
export function ruleTenant(principal: Principal, requested: string | undefined): string {
  const tenant = alertsScope(principal, requested).tenant ?? principal.tenant;
  if (tenant === null) {
    throw new ApiError(
      400,
      'tenant_required',
      'an operator key has no tenant of its own: name the rule\'s tenant with ?tenant= (or "tenant" in the body)',
    );
  }
  return tenant;
}
