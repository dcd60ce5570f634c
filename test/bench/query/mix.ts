/**
 * The query mix: five kinds in turn, each request as the query API receives it and, for OpenSearch, the
 * request the store would send for it, built by the store's own code (planSearch → searchBody / traceBody,
 * searchTargets), so the reference runs exactly the same query on the same indices.
 *
 * - term: one word over the last 15 m / 1 h / 6 h / 24 h (the UI's ranges), 100 hits newest first.
 * - phrase: a phrase, same ranges.
 * - field_level: `service:<s> level>=<l>`, same ranges.
 * - trace: `/api/v1/trace/<id>` an hour either side of a loaded event (as the UI looks it up).
 * - histogram: the UI's events chart, `/api/v1/metrics?name=log_count` over the range (about 120 steps),
 *   served by the metric store; its reference is the OpenSearch `date_histogram` (per service) a user
 *   would run on the events themselves, with the request cache off (the data is static here, and a live
 *   index refreshes every second, which empties that cache anyway).
 *
 * Ranges end at the data's end plus the time elapsed since the phase started, like `now` moving: no two
 * requests are identical, as with real users.
 */

import {
  OPENSEARCH_FIELDS,
  tsRangeQuery,
} from '../../../backend/engines/search/opensearch/compileOpenSearch.ts';
import { searchTargets } from '../../../backend/engines/search/opensearch/dailyIndices.ts';
import { searchBody, traceBody } from '../../../backend/engines/search/opensearch/searchBody.ts';
import { planSearch } from '../../../backend/sinks/search/searchPlan.ts';
import { parseQuery } from '../../../core/query/index.ts';
import type { Dataset } from './dataset.ts';

export const KINDS = ['term', 'phrase', 'field_level', 'trace', 'histogram'] as const;
export type Kind = (typeof KINDS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const RANGES: Array<[string, number]> = [
  ['15m', 15 * MINUTE],
  ['1h', HOUR],
  ['6h', 6 * HOUR],
  ['24h', 24 * HOUR],
];
const TERMS = ['timeout', 'heartbeat', 'retrying', 'traceback', 'password', 'unavailable', 'created'];
const PHRASES = [
  '"payment gateway timeout"',
  '"stock unavailable"',
  '"charge failed"',
  '"invalid user admin"',
  '"cache miss"',
];
const FIELD_LEVEL = [
  'service:payments level>=warn',
  'service:orders level>=error',
  'service:api-gateway level>=error',
  'service:inventory level>=warn',
  'service:nginx level>=error',
];
/** What the query API uses (params.ts DEFAULT_QUERY_LIMITS, traceRoute's MAX_TRACE_EVENTS). */
const LIMIT = 100;
const TOTAL_BOUND = 10_000;
const MAX_TRACE_EVENTS = 10_000;

export interface DirectRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface QuerySpec {
  kind: Kind;
  /** e.g. `term 24h`. */
  label: string;
  /** Path and query string of the query API request. */
  api: string;
  /** The same query straight to OpenSearch (built only when asked for). */
  direct: () => DirectRequest;
}

const iso = (ms: number) => new Date(ms).toISOString();
const SEARCH_QS = 'ignore_unavailable=true&allow_no_indices=true&filter_path=hits.total,hits.hits._source';

/** The i-th request of the mix, `shiftMs` after the phase started. */
export function querySpec(i: number, dataset: Dataset, prefix: string, shiftMs: number): QuerySpec {
  const kind = KINDS[i % KINDS.length];
  const round = Math.floor(i / KINDS.length);
  const end = dataset.to + shiftMs;
  const [rangeName, span] = RANGES[round % RANGES.length];
  const from = end - span;
  const tenant = dataset.tenant;
  if (kind === 'trace') {
    const t = dataset.traces[(round * 7919) % dataset.traces.length];
    const range = { from: t.ts - HOUR, to: t.ts + HOUR };
    return {
      kind,
      label: 'trace ±1h',
      api: `/api/v1/trace/${encodeURIComponent(t.id)}?from=${iso(range.from)}&to=${iso(range.to)}`,
      direct: () => ({
        path: `/${searchTargets(prefix, tenant, range)}/_search?${SEARCH_QS}`,
        body: traceBody({ tenant, services: undefined, ...range }, t.id, MAX_TRACE_EVENTS),
      }),
    };
  }
  if (kind === 'histogram') {
    // The metrics route's default step: about 120 points, in whole minutes.
    const step = Math.max(MINUTE, Math.ceil(span / 120 / MINUTE) * MINUTE);
    return {
      kind,
      label: `histogram ${rangeName}`,
      api: `/api/v1/metrics?name=log_count&from=${iso(from)}&to=${iso(end)}`,
      direct: () => ({
        path: `/${searchTargets(prefix, tenant, { from, to: end })}/_search?ignore_unavailable=true&allow_no_indices=true&request_cache=false&filter_path=aggregations`,
        body: {
          size: 0,
          track_total_hits: false,
          query: { bool: { filter: [tsRangeQuery(from, end), { term: { tenant } }] } },
          aggs: {
            over_time: {
              date_histogram: { field: OPENSEARCH_FIELDS.ts, fixed_interval: `${step / 1000}s` },
              aggs: { services: { terms: { field: 'service', size: 10 } } },
            },
          },
        },
      }),
    };
  }
  const list = kind === 'term' ? TERMS : kind === 'phrase' ? PHRASES : FIELD_LEVEL;
  const q = list[round % list.length];
  return {
    kind,
    label: `${kind} ${rangeName}`,
    api: `/api/v1/search?q=${encodeURIComponent(q)}&from=${iso(from)}&to=${iso(end)}&limit=${LIMIT}`,
    direct: () => {
      const plan = planSearch({
        tenant,
        query: parseQuery(q, { nowMs: end }),
        range: { from, to: end },
        limit: LIMIT,
        order: 'desc',
        totalBound: TOTAL_BOUND,
      });
      return { path: `/${searchTargets(prefix, tenant, plan)}/_search?${SEARCH_QS}`, body: searchBody(plan) };
    },
  };
}
