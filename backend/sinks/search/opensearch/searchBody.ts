import type { LogEvent } from '../../../../core/event/types.ts';
import {
  compileOpenSearch,
  OPENSEARCH_FIELDS,
  type OpenSearchQuery,
  tsRangeQuery,
} from '../../../../core/query/compileOpenSearch.ts';
import type { SearchPlan } from '../searchPlan.ts';

/**
 * Request bodies for `_search`. Everything goes in filter context (nothing is scored). The tenant
 * is also a term filter although the index pattern already selects it: if an index were ever
 * mis-routed, a tenant still sees only its own events.
 */
export interface Scope {
  tenant: string | null;
  services: string[] | undefined;
  from: number;
  to: number;
}

function scopeFilters(scope: Scope): OpenSearchQuery[] {
  const filter: OpenSearchQuery[] = [tsRangeQuery(scope.from, scope.to)];
  if (scope.tenant !== null) filter.push({ term: { tenant: scope.tenant } });
  if (scope.services !== undefined) filter.push({ terms: { service: scope.services } });
  return filter;
}

/** Sorted by event time (ns, as stored) then id: unique, so search_after never skips or repeats. */
function sort(order: 'asc' | 'desc') {
  return [{ [OPENSEARCH_FIELDS.ts]: { order } }, { id: { order } }];
}

export function searchBody(plan: SearchPlan): Record<string, unknown> {
  const filter = scopeFilters(plan);
  if (plan.query !== undefined) filter.push(compileOpenSearch(plan.query));
  return {
    size: plan.limit + 1,
    query: { bool: { filter } },
    sort: sort(plan.order),
    // date_nanos reads the normalized RFC 3339 text at full precision (a JSON number would not fit a double).
    ...(plan.after === undefined ? {} : { search_after: [plan.after.iso, plan.after.id] }),
    // track_total_hits is a Java int.
    track_total_hits: Math.min(plan.totalBound, 2_147_483_647),
  };
}

export function traceBody(scope: Scope, correlationId: string, limit: number): Record<string, unknown> {
  return {
    size: limit,
    query: { bool: { filter: [...scopeFilters(scope), { term: { correlation_id: correlationId } }] } },
    sort: sort('asc'),
    track_total_hits: false,
  };
}

export interface SearchResponseBody {
  hits: {
    total?: { value: number; relation: 'eq' | 'gte' };
    hits: Array<{ _source: LogEvent }>;
  };
}

export function hitsOf(body: SearchResponseBody): LogEvent[] {
  return body.hits.hits.map((hit) => hit._source);
}
