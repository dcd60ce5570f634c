import type { LogEvent } from '../../../../core/event/types.ts';
import type { Logger } from '../../../../core/log/logger.ts';
import type { SearchStore } from '../../../../core/ports/searchStore.ts';
import { QueryTooComplexError } from '../../../../core/query/index.ts';
import { DAY_MS, dayOf } from '../../../sinks/search/days.ts';
import {
  canMatch,
  checkCount,
  checkRange,
  checkServices,
  checkTenant,
  emptyPage,
  MAX_TRACE_LIMIT,
  pageOf,
  planAggregateScope,
  planSearch,
} from '../../../sinks/search/searchPlan.ts';
import { bulkEntry } from './bulkDocuments.ts';
import { type BulkResponse, indexInBulk } from './bulkIndexer.ts';
import {
  type ConnectionOptions,
  createClient,
  describeError,
  engineError,
  SearchUnavailableError,
} from './client.ts';
import { aggregateAggs, readAggregations } from './compileOpenSearchAggregate.ts';
import { indexName, searchTargets } from './dailyIndices.ts';
import { indexTemplate, templateName } from './indexTemplate.ts';
import { dropIndicesBefore } from './retention.ts';
import {
  filterOf,
  hitsOf,
  type Scope,
  type SearchResponseBody,
  searchBody,
  traceBody,
} from './searchBody.ts';
import { fastPage, idTiebreak, type Tiebreak } from './sortKey.ts';

export interface OpenSearchStoreOptions extends ConnectionOptions {
  /** Indices are `<prefix>-<tenant>-YYYY.MM.DD`; lower-case letters, digits, `_` and `-`. */
  indexPrefix: string;
  shards: number;
  replicas: number;
  log: Logger;
  /** The clock that says when a day's last hour begins (tests set it; default Date.now). */
  clock?: () => number;
  /** Tests only: a colliding tiebreak makes every page take the exact order (sortKey.ts). */
  sortTiebreak?: Tiebreak;
  /** Tuning for the bulk indexer; the defaults suit a small cluster. */
  bulk?: {
    maxRequestBytes?: number;
    concurrency?: number;
    maxAttempts?: number;
    backoffBaseMs?: number;
    backoffMaxMs?: number;
  };
}

/** The store plus what tests need beyond the port. */
export interface OpenSearchStore extends SearchStore {
  /** Makes everything indexed so far searchable now, instead of within the 1 s refresh interval. */
  refresh(): Promise<void>;
}

const PREFIX = /^[a-z0-9][a-z0-9_-]*$/;
const BULK_FILTER = 'errors,items.*.status,items.*.error.type,items.*.error.reason';
const SEARCH_FILTER = 'hits.total,hits.hits._source';
/** Tries per search when OpenSearch answers 503 (a shard starting); then the API answers 503 itself. */
const SEARCH_ATTEMPTS = 3;
const PRECREATE_MS = 3_600_000;

/**
 * The SearchStore port on OpenSearch (distributed mode): daily indices per tenant from one
 * index template, documents keyed by event id, queries compiled by compileOpenSearch.
 */
export function openOpenSearchStore(options: OpenSearchStoreOptions): OpenSearchStore {
  if (!PREFIX.test(options.indexPrefix))
    throw new Error(`index prefix '${options.indexPrefix}' must be lower-case letters, digits, '_' and '-'`);
  const prefix = options.indexPrefix;
  const tiebreak = options.sortTiebreak ?? idTiebreak;
  const clock = options.clock ?? Date.now;
  const client = createClient(options);
  const log = options.log.child({ component: 'opensearch-store', index_prefix: prefix });
  const bulk = {
    maxRequestBytes: options.bulk?.maxRequestBytes ?? 8 * 1024 * 1024,
    concurrency: options.bulk?.concurrency ?? 3,
    maxAttempts: options.bulk?.maxAttempts ?? 6,
    backoff: { baseMs: options.bulk?.backoffBaseMs ?? 200, maxMs: options.bulk?.backoffMaxMs ?? 10_000 },
    log,
    async send(body: Buffer): Promise<BulkResponse> {
      const response = await client.transport.request(
        { method: 'POST', path: '/_bulk', querystring: { filter_path: BULK_FILTER }, bulkBody: body },
        { maxRetries: 0 },
      );
      return response.body as BulkResponse;
    },
  };

  async function searchIndices(
    targets: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
    filterPath = SEARCH_FILTER,
  ): Promise<SearchResponseBody & { aggregations?: Record<string, unknown> }> {
    // A shard still starting (an index auto-created by its first event) answers 503 for a moment.
    for (let attempt = 1; ; attempt++) {
      try {
        return await searchOnce(targets, body, signal, filterPath);
      } catch (error) {
        if (!(error instanceof SearchUnavailableError) || attempt >= SEARCH_ATTEMPTS || signal?.aborted)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async function searchOnce(
    targets: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
    filterPath = SEARCH_FILTER,
  ): Promise<SearchResponseBody & { aggregations?: Record<string, unknown> }> {
    signal?.throwIfAborted();
    // Closing the connection of a request nobody waits for makes OpenSearch cancel the search task
    // (RestCancellableNodeClient); cancel_after_time_interval would do it too, but costs on every search.
    const abort = () => {
      try {
        request.abort();
      } catch {
        // The client also throws its RequestAbortedError from abort(); the request rejects with it below.
      }
    };
    const request = client.transport.request({
      method: 'POST',
      path: `/${targets}/_search`,
      querystring: {
        ignore_unavailable: 'true',
        allow_no_indices: 'true',
        filter_path: filterPath,
      },
      body,
    });
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const response = await request;
      const result = response.body as Partial<SearchResponseBody> & {
        aggregations?: Record<string, unknown>;
      };
      return {
        hits: { total: result.hits?.total, hits: result.hits?.hits ?? [] },
        aggregations: result.aggregations,
      };
    } catch (error) {
      // A phrase prefix can expand past max_clause_count: the query's fault, said in its terms.
      if (/too_many_(nested_)?clauses|maxClauseCount/i.test(describeError(error)))
        throw new QueryTooComplexError('a prefix in a phrase matches too many words; make it longer', 0);
      throw engineError('search', error);
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * In a day's last hour, creates tomorrow's index of each tenant being written, so the first searches
   * after midnight do not meet shards still starting. Best effort: auto-creation remains the fallback.
   */
  const precreated = new Set<string>();
  function precreateTomorrow(events: readonly LogEvent[]): void {
    const now = clock();
    const tomorrow = dayOf(now) + 1;
    if (now < tomorrow * DAY_MS - PRECREATE_MS) return;
    for (const event of events) {
      if (typeof event.tenant !== 'string') continue;
      const name = indexName(prefix, event.tenant, tomorrow);
      if (precreated.has(name)) continue;
      precreated.add(name);
      client.transport.request({ method: 'PUT', path: `/${name}` }).catch((error: unknown) => {
        if (/resource_already_exists/.test(describeError(error))) return;
        precreated.delete(name);
        log.warn("could not create tomorrow's index ahead", { index: name, error: describeError(error) });
      });
    }
  }

  return {
    async init() {
      try {
        await client.transport.request({
          method: 'PUT',
          path: `/_index_template/${templateName(prefix)}`,
          body: indexTemplate({ prefix, shards: options.shards, replicas: options.replicas }),
        });
      } catch (error) {
        throw engineError(`creating index template ${templateName(prefix)}`, error);
      }
    },

    async index(events, sources) {
      const names = new Map<string, string>();
      precreateTomorrow(events);
      const result = await indexInBulk(
        events,
        (event, i) => bulkEntry(prefix, event, names, tiebreak, sources?.[i]),
        bulk,
      );
      if (result.rejected.length > 0)
        log.warn('events rejected', { count: result.rejected.length, first: result.rejected[0].reason });
      return result;
    },

    async search(request) {
      const plan = planSearch(request);
      const targets = searchTargets(prefix, plan.tenant, plan);
      if (targets === null || !canMatch(plan)) return emptyPage();
      const body = await searchIndices(targets, searchBody(plan, false, tiebreak), request.signal);
      const total = body.hits.total ?? { value: 0, relation: 'eq' };
      // Almost always the fast order decides; two events sharing a sort key at the page's edge need the exact one.
      const hits =
        fastPage(hitsOf(body), plan.after, plan.limit, tiebreak) ??
        hitsOf(await searchIndices(targets, searchBody(plan, true, tiebreak), request.signal));
      return pageOf(hits, plan.limit, total);
    },

    async aggregate(request) {
      const scope = planAggregateScope(request);
      const targets = searchTargets(prefix, scope.tenant, scope);
      if (targets === null || !canMatch(scope)) return new Map();
      const body = {
        size: 0,
        query: { bool: { filter: filterOf(scope, scope.query) } },
        aggs: aggregateAggs(scope.plan),
        track_total_hits: false,
      };
      const answer = await searchIndices(targets, body, request.signal, 'aggregations');
      return readAggregations(scope.plan, answer.aggregations);
    },

    async trace(tenant, correlationId, range, limit, services) {
      const scope: Scope = {
        tenant: checkTenant(tenant),
        services: checkServices(services),
        ...checkRange(range),
      };
      const max = checkCount(limit, 'limit', 0, MAX_TRACE_LIMIT);
      const targets = searchTargets(prefix, scope.tenant, scope);
      if (targets === null || !canMatch(scope) || max === 0) return [];
      return hitsOf(await searchIndices(targets, traceBody(scope, correlationId, max)));
    },

    async dropBefore(time, dropOptions) {
      const dropped = await dropIndicesBefore(client, prefix, time, {
        tenant: dropOptions?.tenant,
        exceptTenants: dropOptions?.exceptTenants,
        dryRun: dropOptions?.dryRun === true,
      });
      if (dropped.length > 0 && dropOptions?.dryRun !== true)
        log.info('dropped indices', { count: dropped.length, first: dropped[0] });
      return dropped;
    },

    async refresh() {
      try {
        await client.transport.request({
          method: 'POST',
          path: `/${prefix}-*/_refresh`,
          querystring: { ignore_unavailable: 'true', allow_no_indices: 'true' },
        });
      } catch (error) {
        throw engineError('refresh', error);
      }
    },

    async close() {
      await client.close();
    },
  };
}
