import { presentedKey } from '../auth/apiKeys.ts';
import { type ApiError, errorBody, retryLater } from '../http/apiError.ts';

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/** The requests each key has in progress, at most `max` at once (`limits.server.per_key_concurrency`). */
export interface KeyGate {
  /** Counts one more request of `key`; false (and nothing counted) when it already has `max`. */
  enter(key: string): boolean;
  leave(key: string): void;
  /** The 429 for a request refused by `enter`. */
  refusal(): ApiError;
}

export function keyGate(max: number): KeyGate {
  const inFlight = new Map<string, number>();
  return {
    enter(key) {
      const n = inFlight.get(key) ?? 0;
      if (n >= max) return false;
      inFlight.set(key, n + 1);
      return true;
    },
    leave(key) {
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left === 0) inFlight.delete(key);
      else inFlight.set(key, left);
    },
    refusal: () =>
      retryLater(
        429,
        'too_many_concurrent_requests',
        `this key already has ${max} requests in progress (limits.server.per_key_concurrency); wait for one to finish`,
        1,
      ),
  };
}

/**
 * Caps the requests one API key has in progress at once: past `max`, 429 with Retry-After, so one client
 * (or one leaked key) cannot take every worker while others wait. Counted per presented key, before it is
 * checked, so invalid keys are capped too; requests without a key (proxied traffic, open mode) are bounded
 * by the server's connection cap instead. A request counts until its handler answers (a streamed answer,
 * such as a live tail, has its own cap).
 */
export function capPerKey(fetch: Fetch, max: number): Fetch {
  const gate = keyGate(max);
  return async (request, env) => {
    const key = presentedKey(request.headers);
    if (key === null) return fetch(request, env);
    if (!gate.enter(key)) {
      const error = gate.refusal();
      return new Response(errorBody(error), {
        status: 429,
        headers: { 'content-type': 'application/json', ...error.headers },
      });
    }
    try {
      return await fetch(request, env);
    } finally {
      gate.leave(key);
    }
  };
}
