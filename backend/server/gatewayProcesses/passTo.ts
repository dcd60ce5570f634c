import type { Context, MiddlewareHandler } from 'hono';
import { SERVED_ROUTE } from '../../../gateway/metrics.ts';

/** The route that served a passed request in the primary: its answer says it, for the metrics here. */
const ROUTE_HEADER = 'x-sluice-served-route';

/** Headers that belong to one connection, not to the request passed on. */
const HOP_BY_HOP = ['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

/**
 * A handler that passes the request to the primary's own listener, on loopback: a gateway process
 * serves ingest itself, and the routes of the primary's other roles (the query API and UI in standalone,
 * readiness of their stores) through it, so one port still serves everything.
 */
export function passTo(innerUrl: string) {
  return async (c: Context): Promise<Response> => {
    const url = new URL(c.req.url);
    const headers = new Headers(c.req.raw.headers);
    for (const name of HOP_BY_HOP) headers.delete(name);
    const method = c.req.method;
    const init: RequestInit & { duplex?: 'half' } = {
      method,
      headers,
      redirect: 'manual',
      signal: c.req.raw.signal,
    };
    if (method !== 'GET' && method !== 'HEAD') {
      init.body = c.req.raw.body;
      init.duplex = 'half';
    }
    const answer = await fetch(`${innerUrl}${url.pathname}${url.search}`, init);
    const out = new Headers(answer.headers);
    const route = out.get(ROUTE_HEADER);
    if (route !== null) c.set(SERVED_ROUTE, route);
    // fetch has already undone any content encoding, so the length and encoding no longer describe the body.
    for (const name of [...HOP_BY_HOP, ROUTE_HEADER, 'content-encoding', 'content-length']) out.delete(name);
    return new Response(answer.body, { status: answer.status, headers: out });
  };
}

/** The primary's side: its answers name the route that served them (e.g. `/api/v1/search`). */
export const nameServedRoute: MiddlewareHandler = async (c, next) => {
  await next();
  try {
    c.res.headers.set(ROUTE_HEADER, c.req.routePath);
  } catch {
    // A response whose headers are immutable (one fetched elsewhere) is counted under the catch-all.
  }
};
