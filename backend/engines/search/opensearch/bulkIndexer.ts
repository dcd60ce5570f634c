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
  send(body: Buffer): Promise<BulkResponse>;
  /** Largest request body in bytes (one entry bigger than that goes alone). */
  maxRequestBytes: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Attempts per request or item before giving up with SearchUnavailableError. */
  maxAttempts: number;
  backoff: { baseMs: number; maxMs: number };
  log: Logger;
}

/**
 * Indexes `events`, each turned into its bulk entry (or the reason it cannot be one) by `build`, which
 * also gets the event's position in `events`.
 * Each of `concurrency` workers fills one body up to `maxRequestBytes` and sends it: bodies near
 * OpenSearch's sweet spot (5–10 MB) cost it least per document, and since each body is serialized just
 * before it is sent, JSON building overlaps with OpenSearch indexing the bodies already in flight. A
 * batch smaller than one body goes as one request; the indexer overlaps batches of several partitions.
 */
export async function indexInBulk<T extends LogEvent>(
  events: readonly T[],
  build: (event: T, index: number) => BulkEntry | string,
  options: BulkIndexerOptions,
): Promise<IndexResult> {
  const result: IndexResult = { indexed: 0, rejected: [] };
  let next = 0;
  /** The next body's entries: at least one, then as many as fit in maxRequestBytes. */
  const nextBody = (): BulkEntry[] => {
    const entries: BulkEntry[] = [];
    let size = 0;
    while (next < events.length) {
      const entry = build(events[next], next);
      if (typeof entry === 'string') {
        result.rejected.push({ event: events[next++], reason: entry });
        continue;
      }
      if (size > 0 && size + entry.bytes.length > options.maxRequestBytes) break; // built again next body
      entries.push(entry);
      size += entry.bytes.length;
      next++;
    }
    return entries;
  };
  const worker = async () => {
    for (let body = nextBody(); body.length > 0; body = nextBody()) await sendRequest(body, options, result);
  };
  const outcomes = await Promise.allSettled(Array.from({ length: options.concurrency }, worker));
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return result;
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
      response = await options.send(Buffer.concat(pending.map((entry) => entry.bytes)));
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
