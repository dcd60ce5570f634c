/**
 * The query API as the UI uses it (contracts.md §2). Every call sends the key the user typed as
 * `Authorization: Bearer`; a server running open on loopback accepts any key or none.
 */
import { readEventStream } from './sse.js';

/** A failed call, carrying the contract's error body: `{"error": {"code", "message", "details"}}`. */
export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
  }

  /** The 0-based position in `q` a query error points at, if any. */
  get position() {
    const p = this.details.find((d) => d && typeof d.position === 'number');
    return p ? p.position : null;
  }
}

/** `getKey()` returns the current key ('' for none). */
export function createApi(getKey) {
  const headers = (accept) => {
    const h = { accept };
    const key = getKey();
    if (key) h.authorization = `Bearer ${key}`;
    return h;
  };

  const call = async (path, params, signal, accept = 'application/json', init = {}) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    const text = qs.toString();
    const url = text === '' ? path : `${path}?${text}`;
    let response;
    try {
      const h = headers(accept);
      if (init.body !== undefined) h['content-type'] = 'application/json';
      response = await fetch(url, { headers: h, signal, cache: 'no-store', ...init });
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      throw new ApiError(0, 'network', 'the server did not answer; is it running?');
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  };

  const json = async (path, params, signal) => (await call(path, params, signal)).json();
  const send = async (method, path, body, params = {}) => {
    const response = await call(path, params, undefined, 'application/json', {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.status === 204 ? null : response.json();
  };
  const rulePath = (name) => `/api/v1/alerts/rules/${encodeURIComponent(name)}`;

  return {
    /** `{hits, total: {value, relation}, took_ms, next_cursor}` */
    search: (p, signal) =>
      json(
        '/api/v1/search',
        {
          q: p.q,
          from: p.from,
          to: p.to,
          limit: p.limit ?? 100,
          order: p.order ?? 'desc',
          cursor: p.cursor,
        },
        signal,
      ),
    /** `{columns: [{name, type}], rows: [[…]], bucket_ms, took_ms}` for `q` = `<filter> | <stage>` */
    aggregate: (p, signal) => json('/api/v1/aggregate', { q: p.q, from: p.from, to: p.to }, signal),
    /** `{event, before: [...], after: [...], same: {...}}`: events around one, oldest first */
    context: (event, n, signal) =>
      json(`/api/v1/context/${encodeURIComponent(event.id)}`, { ts: event.ts, before: n, after: n }, signal),
    alerts: {
      /** `{rules: [...], can_edit}` */
      rules: (signal) => json('/api/v1/alerts/rules', {}, signal),
      /** `{alerts: [...]}`: firing and pending */
      firing: (signal) => json('/api/v1/alerts/firing', {}, signal),
      create: (rule) => send('POST', '/api/v1/alerts/rules', rule),
      replace: (name, rule) => send('PUT', rulePath(name), rule),
      remove: (name) => send('DELETE', rulePath(name)),
      silence: (name, duration) => send('PUT', `${rulePath(name)}/silence`, { for: duration }),
      unsilence: (name) => send('DELETE', `${rulePath(name)}/silence`),
    },
    /** `{correlation_id, events, services, start, end, duration_ms}` */
    trace: (id, range, signal) =>
      json(`/api/v1/trace/${encodeURIComponent(id)}`, { from: range.from, to: range.to }, signal),
    /** `{name, step, series: [{labels, points: [[ts, value|null]…]}]}` */
    metrics: (name, range, signal) =>
      json('/api/v1/metrics', { name, from: range.from, to: range.to }, signal),
    /**
     * Opens a live tail: `onOpen()` once the server accepted it, then `onMessage({event, data, id})` per
     * server-sent message until the server closes the stream (resolves) or the connection fails or
     * `signal` aborts (rejects).
     */
    tail: async (q, { onOpen, onMessage }, signal) => {
      const response = await call('/api/v1/tail', { q }, signal, 'text/event-stream');
      if (response.body === null) throw new ApiError(0, 'network', 'the live tail answered without a stream');
      onOpen();
      await readEventStream(response.body, onMessage);
    },
  };
}

async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not the contract's JSON (a proxy's error page, say): fall back to the status line below.
  }
  const e = body?.error;
  if (e && typeof e.message === 'string')
    return new ApiError(response.status, String(e.code ?? ''), e.message, e.details);
  return new ApiError(
    response.status,
    `http_${response.status}`,
    `${response.status} ${response.statusText}`.trim(),
  );
}
