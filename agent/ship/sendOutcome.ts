import { retryAfterMs } from '../../core/backoff/backoff.ts';

/** A record the gateway refused, as its answer lists it. */
export interface RecordRejection {
  index: number;
  reason: string;
}

/** What one attempt to send a batch came to, and so what the shipper does next. */
export type SendOutcome =
  /** 202: the gateway holds the accepted records durably; refused ones would be refused again. */
  | { kind: 'acked'; accepted: number; rejected: number; errors: RecordRejection[] }
  /** 422: every record was refused; resending cannot help, so this is acknowledged too. */
  | { kind: 'all_rejected'; errors: RecordRejection[] }
  /** 413: too many records or bytes; the shipper halves the batch. */
  | { kind: 'too_large'; message: string }
  /** 415: the gateway does not take this Content-Encoding; the shipper falls back (zstd → gzip → none). */
  | { kind: 'unsupported_encoding'; message: string }
  /** 401/403/404/405/407: our configuration is wrong (key, URL); keep the data and retry slowly. */
  | { kind: 'misconfigured'; status: number; message: string }
  /** Other 4xx: the gateway will never take this batch as it is. */
  | { kind: 'refused'; status: number; message: string }
  /** 408/429/5xx, network errors, timeouts: try again later, no sooner than `retryAfterMs` if given. */
  | { kind: 'retry'; reason: string; message: string; retryAfterMs: number | undefined }
  /** The shipper is closing and cut the attempt short; the batch is neither sent nor lost. */
  | { kind: 'aborted' };

const MISCONFIGURED = new Set([401, 403, 404, 405, 407]);

/** Classifies the gateway's answer; `body` is its text (JSON for Sluice gateways, anything for proxies). */
export function classifyResponse(
  status: number,
  retryAfter: string | undefined,
  body: string,
  now: number = Date.now(),
): SendOutcome {
  if (status >= 200 && status < 300) {
    const answer = parseJson(body) as
      | { accepted?: unknown; rejected?: unknown; errors?: unknown }
      | undefined;
    return {
      kind: 'acked',
      accepted: typeof answer?.accepted === 'number' ? answer.accepted : 0,
      rejected: typeof answer?.rejected === 'number' ? answer.rejected : 0,
      errors: rejections(answer?.errors),
    };
  }
  const message = errorMessage(body, status);
  if (status === 422) {
    const details = (parseJson(body) as { error?: { details?: unknown } } | undefined)?.error?.details;
    return { kind: 'all_rejected', errors: rejections(details) };
  }
  if (status === 413) return { kind: 'too_large', message };
  if (status === 415) return { kind: 'unsupported_encoding', message };
  if (MISCONFIGURED.has(status)) return { kind: 'misconfigured', status, message };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', reason: `http_${status}`, message, retryAfterMs: retryAfterMs(retryAfter, now) };
  }
  if (status >= 400) return { kind: 'refused', status, message };
  // 1xx/3xx: undici does not follow redirects, and a gateway URL that redirects is a configuration error.
  return { kind: 'misconfigured', status, message: `unexpected HTTP ${status}; check gateway.url` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): the status alone decides.
    return undefined;
  }
}

function rejections(value: unknown): RecordRejection[] {
  if (!Array.isArray(value)) return [];
  const out: RecordRejection[] = [];
  for (const item of value) {
    const { index, reason } = (item ?? {}) as { index?: unknown; reason?: unknown };
    if (typeof index === 'number')
      out.push({ index, reason: typeof reason === 'string' ? reason : 'unknown' });
  }
  return out;
}

/** The gateway's error message, or the start of whatever body came back (bounded for logs). */
function errorMessage(body: string, status: number): string {
  const parsed = parseJson(body) as { error?: { message?: unknown } } | undefined;
  const message = parsed?.error?.message;
  if (typeof message === 'string') return message;
  const text = body.trim().slice(0, 200);
  return text === '' ? `HTTP ${status}` : `HTTP ${status}: ${text}`;
}
