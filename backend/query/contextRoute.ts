import type { Context } from 'hono';
import type { LogEvent } from '../../core/event/types.ts';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import type { QueryNode } from '../../core/query/index.ts';
import { parseTimeExpression } from '../../core/time/index.ts';
import type { QueryDeps } from './deps.ts';
import { withQueryTimeout } from './params.ts';
import { scopeOf } from './scope.ts';

/** How far from the hit context is looked for: a quiet source may have logged its neighbours long before. */
export const CONTEXT_REACH_MS = 86_400_000;
const MAX_CONTEXT = 100;
const DEFAULT_CONTEXT = 10;
/** Where an event's source is read from, best first: the agent's file path, an HEC source, else the service. */
const SOURCE_ATTRS = ['log.file.path', 'source'];

/**
 * `GET /api/v1/context/{id}?ts=&before=10&after=10`: the events logged just before and after one event
 * on the same host and from the same source (its file, `log.file.path`; else `attrs.source`; else its
 * service), oldest first, like `grep -C`. `ts` is the event's own time, as search returned it: with it
 * the event is found without scanning. Reads the search store (hot data) within a day either side.
 */
export async function contextRoute(c: Context<AuthEnv>, deps: QueryDeps): Promise<Response> {
  const started = performance.now();
  const scope = scopeOf(c.get('principal'), c.req.query('tenant'));
  const id = c.req.param('id') ?? '';
  const tsText = c.req.query('ts') ?? '';
  if (tsText === '')
    throw new ApiError(400, 'bad_time', "`ts` is required: the event's time as search returned it");
  let tsMs: number;
  try {
    tsMs = parseTimeExpression(tsText, deps.now());
  } catch (error) {
    throw new ApiError(400, 'bad_time', `ts: ${(error as Error).message}`);
  }
  const before = countParam(c.req.query('before'), 'before');
  const after = countParam(c.req.query('after'), 'after');
  const base = { tenant: scope.tenant, services: scope.services, totalBound: 1 };
  const giveUp = new AbortController();
  const signal = AbortSignal.any([giveUp.signal, c.req.raw.signal]);

  const answer = await withQueryTimeout(
    (async () => {
      const found = await deps.search.search({
        ...base,
        query: keyword('id', id),
        range: { from: tsMs - 1, to: tsMs + 2 },
        limit: 1,
        order: 'desc',
        signal,
      });
      const event = found.hits[0];
      if (event === undefined)
        throw new ApiError(
          404,
          'event_not_found',
          `no event "${id.slice(0, 128)}" at ${tsText.slice(0, 40)}`,
        );
      const { query, same } = sameSource(event);
      const at = { ts: event.ts, id: event.id };
      const [older, newer] = await Promise.all([
        before === 0
          ? null
          : deps.search.search({
              ...base,
              query,
              range: { from: tsMs - CONTEXT_REACH_MS, to: tsMs + 1 },
              limit: before,
              order: 'desc',
              after: at,
              signal,
            }),
        after === 0
          ? null
          : deps.search.search({
              ...base,
              query,
              range: { from: tsMs, to: tsMs + CONTEXT_REACH_MS },
              limit: after,
              order: 'asc',
              after: at,
              signal,
            }),
      ]);
      return {
        event,
        before: (older?.hits ?? []).reverse(),
        after: newer?.hits ?? [],
        same,
      };
    })(),
    deps.limits.timeoutMs,
    giveUp,
  );
  return c.json({ ...answer, took_ms: Math.round(performance.now() - started) });
}

/** The query for "same host and source" as the event, and what it compared, for the answer. */
export function sameSource(event: LogEvent): { query: QueryNode; same: Record<string, string> } {
  const terms: QueryNode[] = [];
  const same: Record<string, string> = {};
  if (typeof event.host === 'string' && event.host !== '') {
    terms.push(keyword('host', event.host));
    same.host = event.host;
  }
  const attrs = event.attrs ?? {};
  const source = SOURCE_ATTRS.find((name) => typeof attrs[name] === 'string' && attrs[name] !== '');
  if (source !== undefined) {
    const value = attrs[source] as string;
    terms.push({ type: 'attr', name: source, op: 'eq', value, number: null, start: 0, end: 0 });
    same[source] = value;
  } else if (typeof event.service === 'string') {
    terms.push(keyword('service', event.service));
    same.service = event.service;
  }
  const query: QueryNode =
    terms.length === 0
      ? { type: 'all', start: 0, end: 0 }
      : { type: 'and', children: terms, start: 0, end: 0 };
  return { query, same };
}

function keyword(field: 'id' | 'host' | 'service', value: string): QueryNode {
  return { type: 'keyword', field, op: 'eq', value, start: 0, end: 0 };
}

function countParam(value: string | undefined, name: string): number {
  if (value === undefined || value === '') return DEFAULT_CONTEXT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_CONTEXT)
    throw new ApiError(400, `bad_${name}`, `\`${name}\` must be a whole number from 0 to ${MAX_CONTEXT}`);
  return n;
}
