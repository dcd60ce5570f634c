import type { Context } from 'hono';
import { UnavailableError } from '../ports/unavailable.ts';
import { ApiError, retryLater } from './apiError.ts';

export interface ErrorLog {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
}

/** The client hung up while its request was being read: its business, not a server error. */
function clientAborted(error: Error, c: Context): boolean {
  const code = (error as { code?: string }).code;
  return (
    c.req.raw.signal?.aborted === true ||
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    error.message === 'aborted'
  );
}

/**
 * Hono onError handler: ApiErrors answer with their status and the contract's error body; anything else
 * is a 500 whose details stay in the server log (never in the answer), so internals do not leak. A store
 * or bus that is briefly unavailable is a 503 with Retry-After: the request was fine, a retry will work.
 */
export function apiErrorHandler(log: ErrorLog) {
  return (caught: Error, c: Context): Response => {
    let error = caught;
    if (error instanceof UnavailableError) {
      log.warn('store unavailable', { path: c.req.path, error: error.message });
      error = retryLater(
        503,
        error.code,
        `${error.resource} is unavailable right now; retry in a few seconds`,
        error.retryAfterSeconds,
      );
    }
    if (error instanceof ApiError) {
      return new Response(JSON.stringify(error.toJSON()), {
        status: error.status,
        headers: { 'content-type': 'application/json', ...error.headers },
      });
    }
    if (clientAborted(error, c)) {
      // No stack: a client closing mid-upload is routine and would otherwise flood the log at error level.
      log.info('client closed the connection before its request was read', { path: c.req.path });
      return new Response(null, { status: 499 });
    }
    log.error('unhandled error', { path: c.req.path, error: error.stack ?? String(error) });
    const body = new ApiError(500, 'internal', 'internal error; the server log has the details');
    return new Response(JSON.stringify(body.toJSON()), {
      status: 500,
      headers: { 'content-type': 'application/json' },
    });
  };
}

export function notFound(c: Context): Response {
  const body = new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
  return new Response(JSON.stringify(body.toJSON()), {
    status: 404,
    headers: { 'content-type': 'application/json' },
  });
}
