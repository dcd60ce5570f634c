import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, retryAfterMs, retryDelay } from '../../../../core/backoff/backoff.ts';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { Logger } from '../../../../core/log/logger.ts';
import type { IndexResult } from '../../../../core/ports/searchStore.ts';
import type { BulkEntry } from './bulkDocuments.ts';
import { isRetryable, retryAfterHeader, retryableStatus, SearchUnavailableError } from './client.ts';

/**
 * Sends events to `_bulk` in bounded requests, several at once, and sorts every item's outcome:
 * - created, or 409 (the id is already there: a redelivery) → indexed;
 * - 429 / 502–504 (queue full, shard not ready) → retried, only those items, with backoff;
 * - anything else (mapping or parse errors) → rejected, for the caller to route to logs.dlq.
 * Retries are bounded: when items are still refused after `maxAttempts`, index() throws
 * SearchUnavailableError and the worker retries the whole batch later (indexing is idempotent),
 * so neither an endless loop nor a poisoned event can stall a partition.
 */
export interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string };
}

export interface BulkResponse {
  errors: boolean;
  items?: Array<Record<string, BulkItemResult>>;
}

export interface BulkIndexerOptions {
  /** Posts one NDJSON body to `_bulk`; throws the client's error when the request itself fails. */
  send(body: string): Promise<BulkResponse>;
  /** Largest request body, in UTF-16 units (about bytes for mostly ASCII logs). */
  maxRequestUnits: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Attempts per request or item before giving up with SearchUnavailableError. */
  maxAttempts: number;
  backoff: { baseMs: number; maxMs: number };
  log: Logger;
}

/** Fewest events per request: below this, per-request overhead outweighs spreading the work. */
const MIN_EVENTS_PER_REQUEST = 250;

/**
 * Indexes `events`, each turned into its bulk entry (or the reason it cannot be one) by `build`.
 * Each request's events are serialized just before it is sent, so JSON building overlaps with
 * OpenSearch indexing the requests already in flight, and batches are cut into about twice as
 * many requests as there are slots, so the slowest request leaves little idle time at the end.
 */
export async function indexInBulk<T extends LogEvent>(
  events: readonly T[],
  build: (event: T) => BulkEntry | string,
  options: BulkIndexerOptions,
): Promise<IndexResult> {
  const result: IndexResult = { indexed: 0, rejected: [] };
  const per = Math.max(MIN_EVENTS_PER_REQUEST, Math.ceil(events.length / (options.concurrency * 2)));
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const chunk = events.slice(next, next + per);
      next += chunk.length;
      const entries: BulkEntry[] = [];
      for (const event of chunk) {
        const entry = build(event);
        if (typeof entry === 'string') result.rejected.push({ event, reason: entry });
        else entries.push(entry);
      }
      for (const request of bySize(entries, options.maxRequestUnits))
        await sendRequest(request, options, result);
    }
  };
  const workers = Array.from(
    { length: Math.min(options.concurrency, Math.ceil(events.length / per)) },
    worker,
  );
  const outcomes = await Promise.allSettled(workers);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return result;
}

/** Cuts entries into request bodies of at most `maxUnits` (an oversized single entry goes alone). */
function bySize(entries: readonly BulkEntry[], maxUnits: number): BulkEntry[][] {
  const requests: BulkEntry[][] = [];
  let current: BulkEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    if (size > 0 && size + entry.ndjson.length > maxUnits) {
      requests.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entry.ndjson.length;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

async function sendRequest(
  entries: BulkEntry[],
  options: BulkIndexerOptions,
  result: IndexResult,
): Promise<void> {
  let pending = entries;
  for (let attempt = 1; ; attempt++) {
    let response: BulkResponse;
    try {
      response = await options.send(pending.map((entry) => entry.ndjson).join(''));
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= options.maxAttempts)
        throw new SearchUnavailableError(`bulk request failed ${attempt} times`, { cause: error });
      const wait = retryDelay(attempt - 1, retryAfterMs(retryAfterHeader(error)), {
        ...options.backoff,
        maxRetryAfterMs: 30_000,
      });
      options.log.warn('bulk request failed; retrying', {
        attempt,
        wait_ms: wait,
        events: pending.length,
        error: String(error),
      });
      await sleep(wait);
      continue;
    }
    const retry = sortItems(pending, response, result);
    if (retry.entries.length === 0) return;
    if (attempt >= options.maxAttempts)
      throw new SearchUnavailableError(
        `${retry.entries.length} events still refused after ${attempt} attempts (${retry.reason})`,
      );
    const wait = backoffDelay(attempt - 1, options.backoff);
    options.log.warn('bulk items refused for now; retrying them', {
      attempt,
      wait_ms: wait,
      events: retry.entries.length,
      reason: retry.reason,
    });
    await sleep(wait);
    pending = retry.entries;
  }
}

/** Counts successes and rejections into `result`; returns the entries to send again. */
function sortItems(
  pending: BulkEntry[],
  response: BulkResponse,
  result: IndexResult,
): { entries: BulkEntry[]; reason: string } {
  if (!response.errors) {
    result.indexed += pending.length;
    return { entries: [], reason: '' };
  }
  const items = response.items ?? [];
  if (items.length !== pending.length)
    throw new SearchUnavailableError(
      `bulk response has ${items.length} items for ${pending.length} documents`,
    );
  const retry: BulkEntry[] = [];
  let reason = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i].create ?? Object.values(items[i])[0];
    const status = item?.status ?? 0;
    if ((status >= 200 && status < 300) || status === 409) {
      result.indexed++;
    } else if (retryableStatus(status)) {
      retry.push(pending[i]);
      reason ||= `${status} ${item.error?.type ?? ''}`;
    } else {
      const error = item?.error;
      const why = `${status} ${error?.type ?? 'error'}: ${error?.reason ?? 'refused by OpenSearch'}`;
      result.rejected.push({ event: pending[i].event, reason: why.slice(0, 500) });
    }
  }
  return { entries: retry, reason };
}
