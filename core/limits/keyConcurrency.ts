import { presentedKey } from '../auth/apiKeys.ts';
import { errorBody, retryLater } from '../http/apiError.ts';

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/**
 * Caps the requests one API key has in progress at once: past `max`, 429 with Retry-After, so one client
 * (or one leaked key) cannot take every worker while others wait. Counted per presented key, before it is
 * checked, so invalid keys are capped too; requests without a key (proxied traffic, open mode) are bounded
 * by the server's connection cap instead. A request counts until its handler answers (a streamed answer,
 * such as a live tail, has its own cap).
 */
export function capPerKey(fetch: Fetch, max: number): Fetch {
  const inFlight = new Map<string, number>();
  return async (request, env) => {
    const key = presentedKey(request.headers);
    if (key === null) return fetch(request, env);
    const n = inFlight.get(key) ?? 0;
    if (n >= max) {
      const error = retryLater(
        429,
        'too_many_concurrent_requests',
        `this key already has ${max} requests in progress (limits.server.per_key_concurrency); wait for one to finish`,
        1,
      );
      return new Response(errorBody(error), {
        status: 429,
        headers: { 'content-type': 'application/json', ...error.headers },
      });
    }
    inFlight.set(key, n + 1);
    try {
      return await fetch(request, env);
    } finally {
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left === 0) inFlight.delete(key);
      else inFlight.set(key, left);
    }
  };
}
