import type { Context } from 'hono';
import type { LogEvent } from '../../core/event/types.ts';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import { compareEvents } from './archiveSearch.ts';
import { archiveSearchOf, type QueryDeps } from './deps.ts';
import { timeRange, withQueryTimeout } from './params.ts';
import { scopeOf } from './scope.ts';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const MAX_TRACE_EVENTS = 10_000;

interface ServiceSummary {
  service: string;
  first_ts: string;
  last_ts: string;
  count: number;
  errors: number;
}

/**
 * `GET /api/v1/trace/{correlation_id}`: every event of one request across services, oldest first, with a
 * summary per service (contracts.md §2). Served by the search store's correlation_id index; the part of
 * the range older than hot retention comes from the archive.
 */
export async function traceRoute(c: Context<AuthEnv>, deps: QueryDeps): Promise<Response> {
  const id = c.req.param('correlation_id') ?? '';
  if (!SAFE_ID.test(id)) {
    throw new ApiError(
      400,
      'bad_correlation_id',
      'a correlation ID is 1-128 characters of A-Z a-z 0-9 . _ : -',
    );
  }
  const now = deps.now();
  const p = c.req.query();
  const scope = scopeOf(c.get('principal'), p.tenant);
  // By default the whole hot retention, but never more than a request may span (retention.search can be
  // longer than limits.maxRangeMs, and a trace without from/to must not answer range_too_large).
  const defaultSpan = Math.min(deps.hotRetentionMs(scope.tenant), deps.limits.maxRangeMs);
  const range = timeRange(p.from, p.to, now, defaultSpan, deps.limits);
  const hotStart = now - deps.hotRetentionMs(scope.tenant);
  const events = await withQueryTimeout(
    (async () => {
      const hot =
        range.to > hotStart
          ? await deps.search.trace(
              scope.tenant,
              id,
              { from: Math.max(range.from, hotStart), to: range.to },
              MAX_TRACE_EVENTS,
              scope.services,
            )
          : [];
      const old =
        range.from < hotStart
          ? (
              await archiveSearchOf(deps, {
                ...scope,
                matches: (e) => e.correlation_id === id,
                range: { from: range.from, to: Math.min(range.to, hotStart) },
                order: 'asc',
                limit: MAX_TRACE_EVENTS,
              })
            ).hits
          : [];
      return [...old, ...hot].sort(compareEvents);
    })(),
    deps.limits.timeoutMs,
  );
  if (events.length === 0)
    throw new ApiError(404, 'trace_not_found', `no events with correlation ID ${id} in the range`);
  const first = events[0];
  const last = events[events.length - 1];
  return c.json({
    correlation_id: id,
    events,
    services: summarize(events),
    start: first.ts,
    end: last.ts,
    duration_ms: Date.parse(last.ts) - Date.parse(first.ts),
  });
}

function summarize(events: LogEvent[]): ServiceSummary[] {
  const by = new Map<string, ServiceSummary>();
  for (const e of events) {
    const s = by.get(e.service);
    const error = e.level === 'error' || e.level === 'fatal' ? 1 : 0;
    if (s === undefined)
      by.set(e.service, { service: e.service, first_ts: e.ts, last_ts: e.ts, count: 1, errors: error });
    else {
      s.last_ts = e.ts;
      s.count++;
      s.errors += error;
    }
  }
  return [...by.values()];
}
