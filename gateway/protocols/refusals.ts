import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';

/**
 * Answers the ApiErrors of the handlers after it (the key check included) in a protocol's own shape
 * instead of Sluice's `{"error": …}` (Splunk HEC's `{"text", "code"}`), keeping their headers.
 */
export function refusalsAs(
  refusal: (error: ApiError, request: Request) => Response,
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      c.res = refusal(error, c.req.raw);
      return;
    }
    // Hono hands an error thrown after this middleware to the app's onError and sets `c.error`.
    if (c.error instanceof ApiError) {
      c.res = undefined; // a fresh answer, not merged with the onError one
      c.res = refusal(c.error, c.req.raw);
    }
  };
}
