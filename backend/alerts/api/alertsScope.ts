import type { Principal } from '../../../core/auth/apiKeys.ts';
import { ApiError } from '../../../core/http/apiError.ts';

/**
 * Tenancy of the alerts API, decided here only: a read key sees its own tenant's rules and alerts;
 * an admin key sees every tenant, or the one it names with `?tenant=`. Keys scoped to services are
 * refused: a rule counts events of every service of its tenant, so its counts and groups would
 * show such a key what its scope hides.
 */
export function alertsScope(principal: Principal, requested: string | undefined): { tenant: string | null } {
  if (principal.roles.has('admin'))
    return { tenant: requested === undefined || requested === '' ? null : requested };
  if (principal.services !== undefined) {
    throw new ApiError(
      403,
      'forbidden',
      `key "${principal.name}" is limited to some services; alert rules count every service of the tenant, so they need a key without a services list`,
    );
  }
  if (requested !== undefined && requested !== '' && requested !== principal.tenant) {
    throw new ApiError(
      403,
      'forbidden',
      `key "${principal.name}" may read tenant "${principal.tenant}" only`,
    );
  }
  return { tenant: principal.tenant };
}

/** The tenant one rule belongs to in a single-rule route: the one asked for, else the key's own. */
export function ruleTenant(principal: Principal, requested: string | undefined): string {
  return alertsScope(principal, requested).tenant ?? principal.tenant;
}
