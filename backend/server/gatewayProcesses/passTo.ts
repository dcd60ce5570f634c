import type { Context } from 'hono';

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
    // fetch has already undone any content encoding, so the length and encoding no longer describe the body.
    for (const name of [...HOP_BY_HOP, 'content-encoding', 'content-length']) out.delete(name);
    return new Response(answer.body, { status: answer.status, headers: out });
  };
}
