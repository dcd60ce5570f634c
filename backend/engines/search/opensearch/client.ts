import { readFileSync } from 'node:fs';
import { Client, errors } from '@opensearch-project/opensearch';
import { UnavailableError } from '../../../../core/ports/unavailable.ts';

/**
 * The OpenSearch client as this store uses it: no retries inside the client (the bulk indexer
 * retries only the items that failed, with backoff), and engine failures turned into errors a
 * caller can act on.
 */
export interface ConnectionOptions {
  nodes: string[];
  username?: string;
  password?: string;
  /** PEM CA file for https nodes with a private CA. */
  caFile?: string;
  requestTimeoutMs?: number;
}

export function createClient(options: ConnectionOptions): Client {
  return new Client({
    nodes: options.nodes,
    maxRetries: 0,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    ...(options.username === undefined
      ? {}
      : { auth: { username: options.username, password: options.password ?? '' } }),
    ...(options.caFile === undefined ? {} : { ssl: { ca: readFileSync(options.caFile) } }),
  });
}

/** OpenSearch is unreachable or overloaded: retry later (the bus keeps the events meanwhile). */
export class SearchUnavailableError extends UnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('search_unavailable', 'the search store', message, 5, options);
    this.name = 'SearchUnavailableError';
  }
}

/** OpenSearch refused a request this store built: a bug or a cluster setting, not a user error. */
export class SearchEngineError extends Error {
  readonly code = 'search_engine_error';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchEngineError';
  }
}

/** 429 (queue full, circuit breaker) and the gateway-ish 5xx pass; 500 is usually a request bug. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof errors.ResponseError) return retryableStatus(error.statusCode ?? 0);
  return (
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError
  );
}

/** Seconds from a 429's Retry-After header, when OpenSearch sends one. */
export function retryAfterHeader(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError)) return undefined;
  const value = error.headers?.['retry-after'];
  return typeof value === 'string' ? value : undefined;
}

/** The first root cause's type and reason, bounded: what a log line or a rejection needs. */
export function describeError(error: unknown): string {
  if (error instanceof errors.ResponseError) {
    const cause = error.body?.error?.root_cause?.[0] ?? error.body?.error;
    const text = cause?.type === undefined ? error.message : `${cause.type}: ${cause.reason ?? ''}`;
    return `${error.statusCode} ${text}`.slice(0, 500);
  }
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}

/** Wraps a failed request: unavailable (retry later) or a refused request (do not retry). */
export function engineError(what: string, error: unknown): Error {
  const message = `${what}: ${describeError(error)}`;
  return isRetryable(error)
    ? new SearchUnavailableError(message, { cause: error })
    : new SearchEngineError(message, { cause: error });
}
