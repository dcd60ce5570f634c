import { retryDelay } from '../../core/backoff/backoff.ts';
import { compress, decompress, fallbackEncoding } from './compression.ts';
import type { SettlingLane as Lane } from './laneContext.ts';
import type { QueuedBatch } from './queuedBatch.ts';
import type { RecordRejection, SendOutcome } from './sendOutcome.ts';
import { splitNdjson } from './splitBatch.ts';

/** Retry reasons meaning the gateway or its bus is away, which `GET /readyz` tells the end of. */
const AWAY = new Set(['network', 'timeout', 'http_502', 'http_503', 'http_504']);

/** Logged per refused batch; the count in the metric stays exact. */
const LOGGED_REJECTIONS = 5;

/** Does what the gateway's answer to the lane's head calls for (docs/agent-shipping.md, "Answers"). */
export async function handleOutcome(
  lane: Lane,
  head: QueuedBatch,
  body: Buffer,
  outcome: Exclude<SendOutcome, { kind: 'aborted' }>,
): Promise<void> {
  const { ctx } = lane;
  switch (outcome.kind) {
    case 'acked':
      countDelivered(lane, head, body, head.meta.events - outcome.rejected);
      // Refused records would be refused again: the batch counts as delivered, the refusals are reported.
      if (outcome.rejected > 0) reportRejected(lane, 'invalid', outcome.rejected, outcome.errors);
      return lane.finish(head);
    case 'all_rejected':
      reportRejected(lane, 'all_rejected', head.meta.events, outcome.errors);
      return lane.finish(head);
    case 'refused':
      ctx.log.error('gateway refused a batch for good; its events are dropped', {
        status: outcome.status,
        events: head.meta.events,
        error: outcome.message,
      });
      ctx.metrics.rejected.inc({ reason: `http_${outcome.status}` }, head.meta.events);
      return lane.finish(head);
    case 'too_large':
      return split(lane, head, body, outcome.message);
    case 'unsupported_encoding':
      return reencode(lane, head, body, outcome.message);
    case 'misconfigured': {
      if (lane.state !== 'misconfigured') {
        ctx.log.error(
          'gateway refuses our configuration; batches are kept (spooled) and retried slowly until it is fixed',
          {
            status: outcome.status,
            error: outcome.message,
            hint: 'check gateway.url and gateway.api_key',
          },
        );
      }
      ctx.metrics.retries.inc({ reason: 'misconfigured' });
      // No probing: /readyz answers 200 to a wrong key too.
      return lane.retryLater('misconfigured', nextDelay(lane, undefined, true), undefined);
    }
    case 'retry': {
      const delay = nextDelay(lane, outcome.retryAfterMs, false);
      const fields = { lane: lane.index, reason: outcome.reason, error: outcome.message, retry_in_ms: delay };
      // Loud once per outage, quiet while it lasts.
      if (lane.state === 'ok') ctx.log.warn('gateway did not take a batch; retrying', fields);
      else ctx.log.debug('gateway still unavailable', fields);
      ctx.metrics.retries.inc({ reason: outcome.reason });
      // A gateway (or its bus) that is away says so on /readyz when it is back; a quota (429) or a
      // fault (500) does not show there, so those wait out their backoff.
      return lane.retryLater('retrying', delay, AWAY.has(outcome.reason) ? 0 : undefined);
    }
  }
}

/** Delay before the head's next attempt: backoff with full jitter, Retry-After as a floor. */
function nextDelay(lane: Lane, retryAfterMs: number | undefined, slow: boolean): number {
  const retry = lane.ctx.retry;
  if (!slow) return retryDelay(lane.attempts, retryAfterMs, retry);
  // A wrong key or URL is not fixed in milliseconds: at least 5 s apart, up to a minute, mostly to
  // notice the fix (or a gateway that was only half configured) without hammering it.
  return retryDelay(lane.attempts, 5000, {
    ...retry,
    baseMs: Math.max(retry.baseMs, 5000),
    maxMs: Math.max(retry.maxMs, 60_000),
  });
}

function countDelivered(lane: Lane, head: QueuedBatch, body: Buffer, accepted: number): void {
  const { metrics } = lane.ctx;
  metrics.events.inc(undefined, accepted);
  metrics.batches.inc();
  metrics.bytes.inc({ stage: 'raw' }, head.meta.rawBytes);
  metrics.bytes.inc({ stage: 'compressed' }, body.length);
}

function reportRejected(lane: Lane, reason: string, count: number, errors: RecordRejection[]): void {
  lane.ctx.metrics.rejected.inc({ reason }, count);
  lane.ctx.log.warn('gateway refused events; they are not sent again', {
    reason,
    refused: count,
    first_errors: errors.slice(0, LOGGED_REJECTIONS),
  });
}

/**
 * 413: halves the head in place (the halves take its place at the front of the queue) and lets the
 * loop send them. A single event too large for the gateway is dropped with an error: no split helps.
 */
async function split(lane: Lane, head: QueuedBatch, body: Buffer, message: string): Promise<void> {
  const { ctx } = lane;
  const raw = await decompress(body, head.meta.encoding);
  const halves = splitNdjson(raw, head.meta.events);
  if (halves === undefined) {
    ctx.log.error('gateway refused a single event as too large; it is dropped', {
      raw_bytes: head.meta.rawBytes,
      error: message,
    });
    ctx.metrics.rejected.inc({ reason: 'too_large' }, head.meta.events);
    return lane.finish(head);
  }
  ctx.log.warn(
    'gateway refused a batch as too large; sending it in halves (lower batch.max_events or batch.max_bytes)',
    {
      events: head.meta.events,
      raw_bytes: head.meta.rawBytes,
      error: message,
    },
  );
  ctx.metrics.splits.inc();
  const encoding = head.meta.encoding;
  const [left, right] = await Promise.all(halves.map((half) => compress(half, encoding)));
  const firstEvents = head.meta.events >> 1;
  const part = (side: '0' | '1', bytes: Buffer, raw: Buffer, events: number): QueuedBatch => ({
    key: { seq: head.key.seq, part: head.key.part + side },
    // Only the last part acknowledges: parts finish in order, so by then the first one is through too.
    meta: { ...head.meta, events, rawBytes: raw.length, acks: side === '1' ? head.meta.acks : [] },
    body: bytes,
    counted: true,
    ready: undefined,
    spooled: undefined,
    spilling: undefined,
  });
  lane.queue.splice(
    0,
    1,
    part('0', left, halves[0], firstEvents),
    part('1', right, halves[1], head.meta.events - firstEvents),
  );
  if (head.spooled === undefined) {
    lane.inMemory += head.counted ? 1 : 2;
    return;
  }
  // The checkpoint already passed a spooled batch's lines (see Lane.spooledAcks), so the halves must be
  // as durable as the original: they are spooled before it is removed. Like a body read back from the
  // spool, theirs are kept for sending but not counted against the memory budget.
  const original = head.spooled;
  const [first, last] = lane.queue;
  if (head.counted) lane.inMemory--;
  first.counted = false;
  last.counted = false;
  try {
    first.spooled = await ctx.spool.write(first.key, first.meta, left);
    last.spooled = await ctx.spool.write(last.key, last.meta, right);
  } catch (error) {
    // No room for both: the original stays in the spool until the last half is through (finish()
    // removes it then), so a crash before that sends some events twice, never none.
    ctx.log.warn('could not spool the halves of a split batch; keeping the original', {
      error: String(error),
    });
    if (first.spooled !== undefined) await ctx.spool.remove(first.spooled);
    first.spooled = undefined;
    last.spooled = original;
    return;
  }
  await ctx.spool.remove(original);
}

/** 415: the gateway does not take this encoding; every lane falls back (zstd → gzip → none) and resends. */
async function reencode(lane: Lane, head: QueuedBatch, body: Buffer, message: string): Promise<void> {
  const { ctx } = lane;
  const from = head.meta.encoding;
  const to = fallbackEncoding(from);
  if (to === undefined) {
    ctx.log.error('gateway refused an uncompressed batch as unsupported media; its events are dropped', {
      error: message,
    });
    ctx.metrics.rejected.inc({ reason: 'http_415' }, head.meta.events);
    return lane.finish(head);
  }
  if (ctx.encoding.current === from) {
    ctx.encoding.current = to;
    ctx.log.warn(`gateway does not accept ${from}; compressing with ${to} from now on`, { error: message });
  }
  // The spool file (if any) keeps its original encoding; only the copy about to be sent changes.
  head.body = await compress(await decompress(body, from), to);
  head.meta = { ...head.meta, encoding: to };
}
