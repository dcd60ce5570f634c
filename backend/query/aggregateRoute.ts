import type { Context } from 'hono';
import { streamText } from 'hono/streaming';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import {
  type AggregatePartial,
  type AggregatePlan,
  type AggregateTable,
  DEFAULT_AGGREGATE_LIMITS,
  finishAggregate,
  mergePartials,
  parsePipeline,
  planAggregate,
} from '../../core/query/aggregate/index.ts';
import { compileToPredicate, QueryError } from '../../core/query/index.ts';
import { aggregateArchive } from './archiveAggregate.ts';
import type { QueryDeps } from './deps.ts';
import { timeRange, withQueryTimeout } from './params.ts';
import { scopeOf } from './scope.ts';

const DEFAULT_SPAN_MS = 15 * 60_000;
/** Reports may span months of archive (the Athena case); searches stay within limits.query.max_range. */
export const MAX_AGGREGATE_RANGE_MS = 400 * 86_400_000;
/** An archive report reads many files: it may take this long (searches keep limits.query.timeout). */
export const AGGREGATE_TIMEOUT_MS = 120_000;

interface AggregateParams {
  q?: string;
  from?: string;
  to?: string;
  source?: string;
  tenant?: string;
  progress?: string;
}

/**
 * `GET /api/v1/aggregate?q=<filter | stats …>&from=&to=&source=auto|hot|archive` (or `POST` with the
 * same fields as a JSON body): the pipe's aggregation over the hot store and, for the part of the range
 * older than hot retention, the Parquet archive; partials merged in core (docs/api.md).
 * With `progress=1` the answer is NDJSON: `{"progress": …}` lines while the archive is read, then
 * `{"result": …}` (or `{"error": …}`), so a CLI can show how far a long report is.
 */
export async function aggregateRoute(c: Context<AuthEnv>, deps: QueryDeps): Promise<Response> {
  const p = c.req.method === 'POST' ? await bodyParams(c) : (c.req.query() as AggregateParams);
  const started = performance.now();
  const now = deps.now();
  const scope = scopeOf(c.get('principal'), p.tenant);
  const range = timeRange(p.from, p.to, now, DEFAULT_SPAN_MS, {
    ...deps.limits,
    maxRangeMs: MAX_AGGREGATE_RANGE_MS,
  });
  const source = p.source ?? 'auto';
  if (source !== 'auto' && source !== 'hot' && source !== 'archive')
    throw new ApiError(400, 'bad_source', '`source` must be auto, hot or archive');
  const { filter, plan } = parse(p.q ?? '', range, now, deps);
  const hotStart =
    source === 'hot' ? range.from : source === 'archive' ? range.to : now - deps.hotRetentionMs(scope.tenant);
  const archivePart = range.from < hotStart ? { from: range.from, to: Math.min(range.to, hotStart) } : null;
  const hotPart = range.to > hotStart ? { from: Math.max(range.from, hotStart), to: range.to } : null;

  const giveUp = new AbortController();
  const signal = AbortSignal.any([giveUp.signal, c.req.raw.signal]);
  const run = async (progress?: (done: number, total: number) => void) => {
    const parts: Array<Promise<AggregatePartial>> = [];
    if (hotPart !== null)
      parts.push(
        deps.search.aggregate({
          tenant: scope.tenant,
          services: scope.services,
          query: filter,
          range: hotPart,
          plan,
          signal,
        }),
      );
    let archived: { files: number; blocks: number; pruned_blocks: number; rows: number } | null = null;
    if (archivePart !== null && deps.archive !== null) {
      const archive = deps.archive;
      parts.push(
        aggregateArchive(archive, {
          ...scope,
          matches: compileToPredicate(filter),
          range: archivePart,
          plan,
          signal,
          progress,
        }).then((r) => {
          archived = { files: r.files, blocks: r.blocks, pruned_blocks: r.prunedBlocks, rows: r.rows };
          return r.partial;
        }),
      );
    }
    const partials = await withQueryTimeout(Promise.all(parts), AGGREGATE_TIMEOUT_MS, giveUp);
    const merged = partials.reduce((into, part) => mergePartials(plan, into, part), new Map());
    return answer(finishAggregate(plan, merged), merged, archived, started);
  };
  if (p.progress !== '1' && p.progress !== 'true') return c.json(await run().catch(rethrow));
  return streamText(c, async (stream) => {
    c.header('content-type', 'application/x-ndjson');
    let last = 0;
    try {
      const result = await run((done, total) => {
        const at = performance.now();
        if (done < total && at - last < 250) return;
        last = at;
        void stream.writeln(JSON.stringify({ progress: { files_done: done, files_total: total } }));
      });
      await stream.writeln(JSON.stringify({ result }));
    } catch (error) {
      const failure = toApiError(error);
      if (failure === null) throw error;
      await stream.writeln(JSON.stringify({ ...failure.toJSON(), status: failure.status }));
    }
  });
}

async function bodyParams(c: Context<AuthEnv>): Promise<AggregateParams> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(
      400,
      'bad_body',
      'the body must be a JSON object such as {"q": "error | top 10 host"}',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(
      400,
      'bad_body',
      'the body must be a JSON object such as {"q": "error | top 10 host"}',
    );
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw new ApiError(400, 'bad_body', `"${key.slice(0, 32)}" must be a string`);
    out[key] = String(value);
  }
  return out;
}

function parse(
  q: string,
  range: { from: number; to: number },
  nowMs: number,
  deps: QueryDeps,
): { filter: ReturnType<typeof parsePipeline>['filter']; plan: AggregatePlan } {
  try {
    const pipeline = parsePipeline(q, {
      maxLength: deps.limits.maxQueryLength,
      maxDepth: deps.limits.maxQueryDepth,
      maxTerms: deps.limits.maxQueryTerms,
      nowMs,
    });
    if (pipeline.stage === null)
      throw new ApiError(
        400,
        'aggregation_missing',
        `q has no aggregation: add a pipe, as in "${q.trim() === '' ? '*' : q.trim().slice(0, 40)} | stats count() by bucket()" or "… | top 10 service"`,
        { details: [{ position: q.length }] },
      );
    return { filter: pipeline.filter, plan: planAggregate(pipeline.stage, range, DEFAULT_AGGREGATE_LIMITS) };
  } catch (error) {
    throw toApiError(error) ?? error;
  }
}

/** Query and limit errors (from parsing, or from a store) are the caller's 400, with the position. */
function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  const e = error as { code?: unknown; position?: unknown; message?: string };
  if (
    error instanceof QueryError ||
    e.code === 'too_many_groups' ||
    e.code === 'too_many_buckets' ||
    e.code === 'time_invalid'
  )
    return new ApiError(400, String(e.code), String(e.message), {
      details: [{ position: typeof e.position === 'number' ? e.position : null }],
    });
  return null;
}

function rethrow(error: unknown): never {
  throw toApiError(error) ?? error;
}

function answer(
  table: AggregateTable,
  merged: AggregatePartial,
  archive: { files: number; blocks: number; pruned_blocks: number; rows: number } | null,
  started: number,
) {
  let approximate = false;
  for (const group of merged.values())
    if (group.states.some((s) => s.t === 'distinct~' || s.t === 'values~')) approximate = true;
  return {
    ...table,
    approximate,
    took_ms: Math.round(performance.now() - started),
    ...(archive === null ? {} : { archive }),
  };
}
