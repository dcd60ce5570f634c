import type { LogEvent } from '../../../core/event/types.ts';
import type { AggregateRequest, SearchPage, SearchRequest } from '../../../core/ports/searchStore.ts';
import type { AggregatePlan } from '../../../core/query/aggregate/index.ts';
import type { QueryNode } from '../../../core/query/index.ts';
import { type CursorPosition, cursorAfter, cursorPosition } from './cursor.ts';

/**
 * Request checks and page assembly shared by both stores, so limits, totals and cursors behave
 * the same whichever engine answers.
 */
export const MAX_LIMIT = 5_000;
/** Totals are exact up to this many hits unless the request asks otherwise (OpenSearch's default). */
export const DEFAULT_TOTAL_BOUND = 10_000;
/** Most events one trace returns (an OpenSearch page cannot hold more than 10,000). */
export const MAX_TRACE_LIMIT = 10_000;

export class SearchRequestError extends Error {
  readonly code = 'search_invalid';

  constructor(message: string) {
    super(message);
    this.name = 'SearchRequestError';
  }
}

export interface SearchPlan {
  tenant: string | null;
  /** undefined: no restriction; [] (a key scoped to no service) matches nothing. */
  services: string[] | undefined;
  query: QueryNode | undefined;
  from: number;
  to: number;
  limit: number;
  order: 'asc' | 'desc';
  after: CursorPosition | undefined;
  totalBound: number;
}

export function planSearch(request: SearchRequest): SearchPlan {
  const { from, to } = checkRange(request.range);
  if (request.order !== 'asc' && request.order !== 'desc')
    throw new SearchRequestError(
      `order must be 'asc' or 'desc', not '${String(request.order).slice(0, 16)}'`,
    );
  return {
    tenant: checkTenant(request.tenant),
    services: checkServices(request.services),
    query: checkQuery(request.query),
    from,
    to,
    limit: checkCount(request.limit, 'limit', 0, MAX_LIMIT),
    order: request.order,
    after: request.after === undefined ? undefined : cursorPosition(request.after),
    totalBound:
      request.totalBound === undefined
        ? DEFAULT_TOTAL_BOUND
        : checkCount(request.totalBound, 'totalBound', 0),
  };
}

/** What every store aggregates over: an aggregate request checked like a search. */
export interface AggregateScope {
  tenant: string | null;
  services: string[] | undefined;
  query: QueryNode | undefined;
  from: number;
  to: number;
  plan: AggregatePlan;
}

export function planAggregateScope(request: AggregateRequest): AggregateScope {
  const { from, to } = checkRange(request.range);
  if (typeof request.plan !== 'object' || request.plan === null || !Array.isArray(request.plan.by))
    throw new SearchRequestError('plan must be a planned aggregation (core/query/aggregate planAggregate)');
  return {
    tenant: checkTenant(request.tenant),
    services: checkServices(request.services),
    query: checkQuery(request.query),
    from,
    to,
    plan: request.plan,
  };
}

/** Whether the plan can match anything at all; stores skip the engine when it cannot. */
export function canMatch(plan: Pick<SearchPlan, 'from' | 'to' | 'services'>): boolean {
  return plan.from < plan.to && (plan.services === undefined || plan.services.length > 0);
}

export function checkRange(range: { from: number; to: number }): { from: number; to: number } {
  if (!Number.isFinite(range?.from) || !Number.isFinite(range?.to))
    throw new SearchRequestError('range needs finite from and to (ms since the epoch)');
  // ts terms and columns are whole milliseconds; a fractional bound means the next whole one.
  return { from: Math.ceil(range.from), to: Math.ceil(range.to) };
}

export function checkCount(value: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min)
    throw new SearchRequestError(`${name} must be an integer ≥ ${min}`);
  return Math.min(value, max);
}

export function checkTenant(tenant: string | null): string | null {
  if (tenant !== null && typeof tenant !== 'string')
    throw new SearchRequestError('tenant must be a string or null');
  return tenant;
}

export function checkServices(services: string[] | undefined): string[] | undefined {
  if (services === undefined) return undefined;
  if (!Array.isArray(services) || !services.every((s) => typeof s === 'string'))
    throw new SearchRequestError('services must be a list of service names');
  return [...new Set(services)];
}

function checkQuery(query: unknown): QueryNode | undefined {
  if (query === undefined || query === null) return undefined;
  if (typeof query !== 'object' || typeof (query as { type?: unknown }).type !== 'string')
    throw new SearchRequestError('query must be a parsed query (core/query parseQuery)');
  return query as QueryNode;
}

/** Stores fetch limit + 1 rows: the extra one only tells whether another page exists. */
export function pageOf(rows: LogEvent[], limit: number, total: SearchPage['total']): SearchPage {
  const hits = rows.length > limit ? rows.slice(0, limit) : rows;
  const next = rows.length > limit && hits.length > 0 ? cursorAfter(hits[hits.length - 1]) : null;
  return { hits, total, next };
}

/** A count taken with LIMIT bound + 1 (or OpenSearch's track_total_hits) as the port reports it. */
export function totalOf(count: number, bound: number): SearchPage['total'] {
  return count > bound ? { value: bound, relation: 'gte' } : { value: count, relation: 'eq' };
}

export function emptyPage(): SearchPage {
  return { hits: [], total: { value: 0, relation: 'eq' }, next: null };
}
