import { retryAfterMs } from '../../../core/backoff/backoff.ts';

/** How one POST ended: delivered, worth retrying (with the server's Retry-After), or not. */
export type PostOutcome =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

/**
 * POSTs JSON once, giving up after `timeoutMs` (or when `signal` aborts, on shutdown). 2xx is
 * delivered; 408, 429 and 5xx are the receiver's temporary trouble and retryable, as are network
 * errors and timeouts; any other 4xx means the request itself is wrong (URL, token), which a retry
 * cannot fix.
 */
export async function postJson(
  url: string,
  body: unknown,
  options: { headers: Record<string, string>; timeoutMs: number; signal: AbortSignal },
): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'sluice-alerts', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const reason = timedOut ? `no answer within ${options.timeoutMs} ms` : describeError(error);
    return { ok: false, retryable: !options.signal.aborted, reason };
  }
  // The body is never used, but reading it frees the connection for the next delivery.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return { ok: true, status: response.status };
  const status = response.status;
  const retryable = status === 408 || status === 429 || status >= 500;
  return {
    ok: false,
    retryable,
    reason: `HTTP ${status}`,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
  };
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
