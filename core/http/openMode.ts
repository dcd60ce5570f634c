import { isLoopbackHost } from '../net/loopback.ts';
import { ApiError, errorBody } from './apiError.ts';

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

function hostnameOf(hostHeader: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/.exec(hostHeader.trim());
  return m === null ? hostHeader : m[1];
}

/**
 * Open mode (no API keys) trusts whoever can reach the loopback listener, which a web page can too: by
 * DNS rebinding (a name of the attacker's that resolves to 127.0.0.1, sent as the Host) or by a
 * cross-site "simple" request (a form or fetch with `text/plain`, which no CORS preflight stops). So in
 * open mode a request must name a loopback host, and a browser request must come from a loopback page;
 * both refusals are 403 and nothing else runs. With keys configured none of this applies: a page cannot
 * present a key it does not have.
 */
export function guardOpenMode(fetch: Fetch): Fetch {
  return (request, env) => {
    const host = request.headers.get('host');
    const url = new URL(request.url);
    if ((host !== null && !isLoopbackHost(hostnameOf(host))) || !isLoopbackHost(url.hostname)) {
      return refuse(
        'forbidden_host',
        `Host "${host ?? url.host}" is not a loopback name; without API keys Sluice answers only requests to localhost, 127.0.0.1 or [::1]`,
      );
    }
    const origin = request.headers.get('origin');
    const site = request.headers.get('sec-fetch-site');
    if ((origin !== null && !loopbackOrigin(origin)) || site === 'cross-site') {
      return refuse(
        'cross_site',
        `a request from ${origin ?? 'another site'} is refused: without API keys, only pages served from this machine may call Sluice`,
      );
    }
    return fetch(request, env);
  };
}

function loopbackOrigin(origin: string): boolean {
  if (origin === 'null') return false;
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

function refuse(code: string, message: string): Response {
  return new Response(errorBody(new ApiError(403, code, message)), {
    status: 403,
    headers: { 'content-type': 'application/json' },
  });
}
