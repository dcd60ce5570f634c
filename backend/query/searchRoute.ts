import type { Context } from 'hono';
import type { LogEvent } from '../../core/event/types.ts';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import { compileToPredicate } from '../../core/query/index.ts';
import { decodeCursor, encodeCursor, type Phase } from './cursor.ts';
import { archiveSearchOf, type QueryDeps } from './deps.ts';
import { limitParam, orderParam, queryAst, timeRange, withQueryTimeout } from './params.ts';
import { scopeOf } from './scope.ts';

const DEFAULT_SPAN_MS = 15 * 60_000;

/**
 * `GET /api/v1/search`: hits newest (or oldest) first with keyset pagination. With `source=auto` the part
 * of the range older than hot retention is read from the Parquet archive and the two are joined in order:
 * descending pages run through the hot store, then the archive; ascending ones the other way round.
 */
export async function searchRoute(c: Context<AuthEnv>, deps: QueryDeps): Promise<Response> {
  const started = performance.now();
  const now = deps.now();
  const p = c.req.query();
  const scope = scopeOf(c.get('principal'), p.tenant);
  const range = timeRange(p.from, p.to, now, DEFAULT_SPAN_MS, deps.limits);
  const ast = queryAst(p.q, now, deps.limits);
  const limit = limitParam(p.limit, deps.limits);
  const order = orderParam(p.order);
  const cursor = decodeCursor(p.cursor);
  const source = p.source ?? 'auto';
  if (source !== 'auto' && source !== 'hot' && source !== 'archive') {
    throw new ApiError(400, 'bad_source', '`source` must be auto, hot or archive');
  }

  const hotStart =
    source === 'hot' ? range.from : source === 'archive' ? range.to : now - deps.hotRetentionMs(scope.tenant);
  const parts: Record<Phase, { from: number; to: number } | null> = {
    archive: range.from < hotStart ? { from: range.from, to: Math.min(range.to, hotStart) } : null,
    hot: range.to > hotStart ? { from: Math.max(range.from, hotStart), to: range.to } : null,
  };
  const phases: Phase[] = order === 'desc' ? ['hot', 'archive'] : ['archive', 'hot'];
  const startAt = cursor === undefined ? 0 : phases.indexOf(cursor.phase);

  const hits: Array<{ event: LogEvent; phase: Phase }> = [];
  let total = 0;
  let exact = true;
  const predicate = ast === undefined ? () => true : compileToPredicate(ast);
  // Given up on timeout or when the client hangs up, so stores do not work for nobody.
  const giveUp = new AbortController();
  const signal = AbortSignal.any([giveUp.signal, c.req.raw.signal]);
  await withQueryTimeout(
    (async () => {
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i];
        const part = parts[phase];
        if (part === null) continue;
        const after = cursor !== undefined && i === startAt ? cursor.after : undefined;
        const want = i < startAt ? 1 : limit - hits.length;
        if (phase === 'hot') {
          const page = await deps.search.search({
            tenant: scope.tenant,
            services: scope.services,
            query: ast,
            range: part,
            limit: Math.max(1, want),
            order,
            after,
            totalBound: deps.limits.totalBound,
            signal,
          });
          total += page.total.value;
          if (page.total.relation === 'gte') exact = false;
          if (i >= startAt && want > 0)
            for (const event of page.hits.slice(0, want)) hits.push({ event, phase });
        } else {
          if (i < startAt || want <= 0) {
            exact = false; // the archive part was not counted on this page
            continue;
          }
          const found = await archiveSearchOf(deps, {
            ...scope,
            matches: predicate,
            range: part,
            order,
            limit: want,
            after,
          });
          total += found.hits.length;
          if (!found.complete) exact = false;
          for (const event of found.hits) hits.push({ event, phase });
        }
      }
    })(),
    deps.limits.timeoutMs,
    giveUp,
  );

  const last = hits.at(-1);
  const next =
    hits.length === limit && last !== undefined
      ? encodeCursor({ phase: last.phase, after: { ts: last.event.ts, id: last.event.id } })
      : null;
  return c.json({
    hits: hits.map((h) => h.event),
    total: { value: total, relation: exact ? 'eq' : 'gte' },
    took_ms: Math.round(performance.now() - started),
    next_cursor: next,
  });
}
