import type { TimeRange } from '../../../../core/ports/searchStore.ts';
import { dayLabel, daysOverlapping, parseDayLabel } from '../../../sinks/search/days.ts';
import { encodeTenant } from '../../../sinks/search/tenantNames.ts';

/**
 * One index per tenant per UTC day, `<prefix>-<tenant>-YYYY.MM.DD` (contracts §5), the tenant
 * encoded by encodeTenant (tenantNames.ts) so a tenant's pattern can never open another's indices.
 */
const NAME = /^(.*)-([a-z0-9_]*)-(\d{4}\.\d{2}\.\d{2})$/;
/** Beyond this many days a search names the tenant's indices by wildcard instead of one by one. */
const MAX_LISTED_DAYS = 32;

export function indexName(prefix: string, tenant: string, day: number): string {
  return `${prefix}-${encodeTenant(tenant)}-${dayLabel(day, '.')}`;
}

/** Parses one of this prefix's index names; null for anything else. */
export function parseIndexName(prefix: string, name: string): { tenantPart: string; day: number } | null {
  const match = NAME.exec(name);
  if (match === null || match[1] !== prefix) return null;
  const day = parseDayLabel(match[3], '.');
  return day === null ? null : { tenantPart: match[2], day };
}

/**
 * The indices a search over `range` reads: the overlapping days by name when they are few (shards
 * of other days are never touched), else every day of the tenant by wildcard (the range filter
 * still applies, and OpenSearch skips shards whose ts values lie outside it).
 */
export function searchTargets(prefix: string, tenant: string | null, range: TimeRange): string | null {
  const days = daysOverlapping(range);
  if (days === null) return null;
  const tenantPart = tenant === null ? '*' : encodeTenant(tenant);
  if (days.last - days.first >= MAX_LISTED_DAYS) return `${prefix}-${tenantPart}-*`;
  const names: string[] = [];
  for (let day = days.first; day <= days.last; day++)
    names.push(`${prefix}-${tenantPart}-${dayLabel(day, '.')}`);
  return names.join(',');
}
