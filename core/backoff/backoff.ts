/**
 * Retry delays shared by every Sluice client that talks to a server which can be away or busy
 * (agent → gateway, gateway → bus, sinks → stores).
 *
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): the
 * delay is uniform in [0, min(max, base·2^attempt)]. Jitter over the whole range is what spreads a fleet
 * of agents that all lost the gateway at the same moment, so they do not come back in lockstep.
 */

import { setTimeout as delay } from 'node:timers/promises';

export interface BackoffOptions {
  /** Upper bound of the first retry's delay. */
  baseMs: number;
  /** No delay is longer than this, however many attempts failed. */
  maxMs: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

export interface RetryOptions extends BackoffOptions {
  /** A server's Retry-After is honoured up to this long; a bigger one is capped (a typo must not park us for a day). */
  maxRetryAfterMs?: number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Delay before retry number `attempt` (0 for the first retry): full jitter, capped at `maxMs`. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  // 2^attempt overflows to Infinity for big attempts, and Math.min takes care of that.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds a `Retry-After` header asks to wait (RFC 9110 §10.2.3): either delta-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past means "now" (0). Undefined when the
 * header is absent or unreadable, so the caller falls back to its own backoff.
 */
export function retryAfterMs(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // All three forms RFC 9110 allows (IMF-fixdate, RFC 850, asctime) start with a day name; Date.parse
  // reads them all, but would also read "-5" or "2026" as dates, which no server means.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Delay before retry number `attempt` when the server may have said how long to wait. The server's
 * word is a floor, never shortened by jitter (it knows when it will have room); our own backoff still
 * applies when it is longer, so a server answering `Retry-After: 0` in a loop is not hammered.
 */
export function retryDelay(attempt: number, retryAfter: number | undefined, options: RetryOptions): number {
  const own = backoffDelay(attempt, options);
  if (retryAfter === undefined) return own;
  const floor = Math.min(retryAfter, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
  return Math.max(floor, own);
}

/**
 * Waits `ms` between retries, resolving early (not rejecting) when `signal` aborts: aborting is how a
 * stopping component cuts its backoff short, and the caller checks `signal.aborted` afterwards.
 */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
}
