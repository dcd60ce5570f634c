import type { LogEvent } from '../../../../core/event/types.ts';
import type { QueryNode } from '../../../../core/query/index.ts';
import type { SearchPlan } from '../../../sinks/search/searchPlan.ts';
import { compileOpenSearch, type OpenSearchQuery, tsRangeQuery } from './compileOpenSearch.ts';
import { fastSize, idTiebreak, searchAfter, sortSpec, type Tiebreak } from './sortKey.ts';

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

/** The scope's filters and the compiled query, for a bool `filter`. */
export function filterOf(scope: Scope, query: QueryNode | undefined): OpenSearchQuery[] {
  const filter = scopeFilters(scope);
  if (query !== undefined) filter.push(compileOpenSearch(query));
  return filter;
}

/**
 * One page of a search. `exact` sorts by (ts, tiebreak, id), which is unique; the fast order leaves out
 * the id and is checked by the caller (sortKey.ts, fastPage).
 */
export function searchBody(
  plan: SearchPlan,
  exact = false,
  tiebreak: Tiebreak = idTiebreak,
): Record<string, unknown> {
  const filter = filterOf(plan, plan.query);
  return {
    size: exact ? plan.limit + 1 : fastSize(plan.limit, plan.after),
    query: { bool: { filter } },
    sort: sortSpec(plan.order, exact),
    ...(plan.after === undefined
      ? {}
      : { search_after: searchAfter(plan.after, plan.order, exact, tiebreak) }),
    // track_total_hits is a Java int.
    track_total_hits: Math.min(plan.totalBound, 2_147_483_647),
  };
}

export function traceBody(scope: Scope, correlationId: string, limit: number): Record<string, unknown> {
  return {
    size: limit,
    query: { bool: { filter: [...scopeFilters(scope), { term: { correlation_id: correlationId } }] } },
    sort: sortSpec('asc', false),
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
