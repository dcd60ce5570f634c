import { ApiError } from '../../core/http/apiError.ts';
import { parseQuery, type QueryNode } from '../../core/query/index.ts';
import { parseTimeExpression } from '../../core/time/index.ts';

export interface QueryLimits {
  /** Longest from..to span a request may ask for. */
  maxRangeMs: number;
  maxLimit: number;
  defaultLimit: number;
  maxQueryLength: number;
  maxQueryDepth: number;
  maxQueryTerms: number;
  /** Count hits exactly up to this many, then answer `gte`. */
  totalBound: number;
  /** A store call taking longer is abandoned with 408. */
  timeoutMs: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxRangeMs: 31 * 86_400_000,
  maxLimit: 1000,
  defaultLimit: 100,
  maxQueryLength: 4096,
  maxQueryDepth: 32,
  maxQueryTerms: 128,
  totalBound: 10_000,
  timeoutMs: 10_000,
};

/** `from`/`to` as RFC 3339 or relative times (`now-15m`); defaults to the last `defaultSpanMs`. */
export function timeRange(
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
  defaultSpanMs: number,
  limits: QueryLimits,
): { from: number; to: number } {
  const parse = (name: string, text: string) => {
    try {
      return parseTimeExpression(text, nowMs);
    } catch (error) {
      throw new ApiError(
        400,
        'bad_time',
        `${name}: ${(error as Error).message} (use RFC 3339 or now-15m, now-2h, now-7d)`,
      );
    }
  };
  const end = to === undefined || to === '' ? nowMs : parse('to', to);
  const start = from === undefined || from === '' ? end - defaultSpanMs : parse('from', from);
  if (start >= end) throw new ApiError(400, 'bad_range', '`from` must be before `to`');
  if (end - start > limits.maxRangeMs) {
    throw new ApiError(
      400,
      'range_too_large',
      `the range spans ${Math.round((end - start) / 86_400_000)} days; at most ${Math.round(limits.maxRangeMs / 86_400_000)} days per request`,
    );
  }
  return { from: start, to: end };
}

/** The parsed `q`, or a 400 naming the position of the error. */
export function queryAst(q: string | undefined, nowMs: number, limits: QueryLimits): QueryNode | undefined {
  if (q === undefined || q.trim() === '') return undefined;
  try {
    return parseQuery(q, {
      maxLength: limits.maxQueryLength,
      maxDepth: limits.maxQueryDepth,
      maxTerms: limits.maxQueryTerms,
      nowMs,
    });
  } catch (error) {
    const e = error as Error & { code?: string; position?: number };
    if (e.code === 'query_syntax' || e.code === 'query_too_complex' || e.code === 'time_invalid') {
      throw new ApiError(400, e.code, e.message, { details: [{ position: e.position ?? null }] });
    }
    throw error;
  }
}

export function limitParam(value: string | undefined, limits: QueryLimits): number {
  if (value === undefined || value === '') return limits.defaultLimit;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ApiError(400, 'bad_limit', '`limit` must be a whole number ≥ 1');
  if (n > limits.maxLimit)
    throw new ApiError(
      400,
      'limit_too_large',
      `\`limit\` may be at most ${limits.maxLimit}; page with the cursor`,
    );
  return n;
}

export function orderParam(value: string | undefined): 'asc' | 'desc' {
  if (value === undefined || value === '' || value === 'desc') return 'desc';
  if (value === 'asc') return 'asc';
  throw new ApiError(400, 'bad_order', '`order` must be asc or desc');
}

/** Races a store call against the query timeout; the loser's result is ignored. */
export async function withQueryTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  giveUp?: AbortController,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => {
          // Stores drop queued work and cancel engine requests nobody waits for any more.
          giveUp?.abort(new Error('query timed out'));
          reject(
            new ApiError(
              408,
              'query_timeout',
              `the query took longer than ${timeoutMs} ms; narrow the time range or the query`,
            ),
          );
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
