import type { Client } from '@opensearch-project/opensearch';
import { dayEndsBy } from '../../../sinks/search/days.ts';
import { encodeTenant } from '../../../sinks/search/tenantNames.ts';
import { engineError } from './client.ts';
import { parseIndexName } from './dailyIndices.ts';

/** Names per DELETE request, so the URL stays well under OpenSearch's 4 KB line limit. */
const DELETE_CHUNK = 40;

/**
 * Retention drops whole daily indices (never deletes documents): those of this prefix whose day
 * ended by the cut-off, of `tenant` only when given, sparing `exceptTenants` (tenants whose own
 * period another step enforces). A dry run only lists them.
 */
export async function dropIndicesBefore(
  client: Client,
  prefix: string,
  time: number,
  options: { tenant?: string; exceptTenants?: string[]; dryRun: boolean },
): Promise<string[]> {
  const tenantPart = options.tenant === undefined ? undefined : encodeTenant(options.tenant);
  const spared = new Set((options.exceptTenants ?? []).map(encodeTenant));
  const pattern = `${prefix}-${tenantPart ?? '*'}-*`;
  let names: string[];
  try {
    const response = await client.transport.request({
      method: 'GET',
      path: `/_cat/indices/${pattern}`,
      querystring: { format: 'json', h: 'index', expand_wildcards: 'open,closed' },
    });
    names = (response.body as Array<{ index: string }>).map((row) => row.index);
  } catch (error) {
    throw engineError(`listing ${pattern}`, error);
  }
  const expired = names
    .filter((name) => {
      const parsed = parseIndexName(prefix, name);
      // The pattern can also match other deployments' longer prefixes; parsing keeps only ours.
      if (parsed === null || !dayEndsBy(parsed.day, time) || spared.has(parsed.tenantPart)) return false;
      return tenantPart === undefined || parsed.tenantPart === tenantPart;
    })
    .sort();
  if (options.dryRun) return expired;
  for (let i = 0; i < expired.length; i += DELETE_CHUNK) {
    const chunk = expired.slice(i, i + DELETE_CHUNK).join(',');
    try {
      await client.transport.request(
        { method: 'DELETE', path: `/${chunk}`, querystring: { ignore_unavailable: 'true' } },
        { ignore: [404] },
      );
    } catch (error) {
      throw engineError(`deleting ${chunk}`, error);
    }
  }
  return expired;
}
