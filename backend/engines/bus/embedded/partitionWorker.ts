/**
 * The loop that feeds one partition to one group member's handler: read from the group's position, hand
 * the batch to the handler, and only when it resolves move the committed offset past the batch. A handler
 * that throws gets the same batch again after a backoff, for as long as it takes: records are never
 * skipped. An idle worker sleeps on the partition's append event, not on a poll.
 */
import { backoffDelay, pause } from '../../../../core/backoff/backoff.ts';
import type { CommitRequest, ConsumedBatch, ConsumeOptions } from '../../../../core/ports/bus.ts';
import { type BusEvent, describeError } from './busEvents.ts';
import { OffsetOutOfRangeError } from './errors.ts';
import type { GroupOffsets } from './groupOffsets.ts';
import type { PartitionLog } from './partitionLog.ts';
import { type ReadCursor, readPartition } from './partitionReader.ts';

/** Bytes read per fetch; bounds a batch's memory when records are large. */
const FETCH_BYTES = 1024 * 1024;

/** Retries of a failing read or handler: 100 ms doubling to at most 10 s, with full jitter. */
const RETRY = { baseMs: 100, maxMs: 10_000 };

export interface WorkerContext {
  log: PartitionLog;
  offsets: GroupOffsets;
  options: Required<Pick<ConsumeOptions, 'handler' | 'fromBeginning' | 'maxBatchRecords'>> &
    Pick<ConsumeOptions, 'idle'>;
  emit: (event: BusEvent) => void;
}

export interface PartitionWorker {
  /** Stops after the batch in flight (its offset committed if its handler succeeded). */
  stop(): Promise<void>;
  /** Next offset this group will read here. */
  position(): number;
}

export function startPartitionWorker(ctx: WorkerContext): PartitionWorker {
  const controller = new AbortController();
  const { log, offsets } = ctx;
  const committed = offsets.get(log.topic, log.partition);
  let position = committed ?? (ctx.options.fromBeginning ? log.startOffset : log.endOffset);
  if (committed === undefined && !ctx.options.fromBeginning) {
    // Pin "latest" now: a restart before the first batch must not jump over what arrives meanwhile.
    offsets.commit(log.topic, log.partition, position);
  }
  const done = run().catch((error) => {
    // run() handles every expected failure itself; reaching here is a bug, which must not go unheard.
    ctx.emit({
      type: 'read-failed',
      group: offsets.group,
      topic: log.topic,
      partition: log.partition,
      error: describeError(error),
    });
  });

  async function run(): Promise<void> {
    const signal = controller.signal;
    let cursor: ReadCursor | undefined;
    let failures = 0;
    while (!signal.aborted) {
      let records: ConsumedBatch['records'];
      try {
        const result = await readPartition(
          log,
          position,
          { maxRecords: ctx.options.maxBatchRecords, maxBytes: FETCH_BYTES },
          cursor,
        );
        records = result.records;
        cursor = result.cursor;
        failures = 0;
      } catch (error) {
        if (error instanceof OffsetOutOfRangeError) {
          resetPosition(error);
          cursor = undefined;
          continue;
        }
        ctx.emit({
          type: 'read-failed',
          group: offsets.group,
          topic: log.topic,
          partition: log.partition,
          error: describeError(error),
        });
        await pause(backoffDelay(failures++, RETRY), signal);
        continue;
      }
      if (records.length === 0) {
        if (await waitForData(signal)) await idle();
        continue;
      }
      const batch: ConsumedBatch = {
        topic: log.topic,
        partition: log.partition,
        records,
        lastOffset: records[records.length - 1].offset,
      };
      const outcome = await deliver(batch, signal);
      if (outcome === false) return;
      // Committed only now, after the handler resolved: a crash before this line redelivers the batch.
      // The handler may hold the commit back (state not yet in a sink); reading still moves on.
      position = Number(batch.lastOffset) + 1;
      const commitAt = outcome === undefined ? position : Math.min(position, Number(outcome.nextOffset));
      offsets.commit(log.topic, log.partition, commitAt, outcome?.metadata);
    }
  }

  /** Parks at the end of the partition; true when it stayed quiet for the idle handler's `afterMs`. */
  async function waitForData(signal: AbortSignal): Promise<boolean> {
    const afterMs = ctx.options.idle?.afterMs;
    if (afterMs === undefined) {
      await log.waitForData(position, signal);
      return false;
    }
    const quiet = new AbortController();
    const timer = setTimeout(() => quiet.abort(), afterMs);
    try {
      await log.waitForData(position, AbortSignal.any([signal, quiet.signal]));
    } finally {
      clearTimeout(timer);
    }
    return quiet.signal.aborted && !signal.aborted;
  }

  /** The idle handler, in this loop so it never overlaps a batch; its commit is made like a batch's. */
  async function idle(): Promise<void> {
    const handler = ctx.options.idle?.handler;
    if (handler === undefined) return;
    try {
      const request = await handler({
        topic: log.topic,
        partition: log.partition,
        nextOffset: BigInt(position),
      });
      if (request !== undefined)
        offsets.commit(
          log.topic,
          log.partition,
          Math.min(position, Number(request.nextOffset)),
          request.metadata,
        );
    } catch (error) {
      // Nothing is lost: the state it would have released stays held, and the next quiet spell retries.
      ctx.emit({
        type: 'handler-failed',
        group: offsets.group,
        topic: log.topic,
        partition: log.partition,
        attempt: 0,
        error: describeError(error),
      });
    }
  }

  /** Calls the handler until it succeeds; false when stopped first (the batch stays uncommitted). */
  async function deliver(
    batch: ConsumedBatch,
    signal: AbortSignal,
  ): Promise<CommitRequest | undefined | false> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await ctx.options.handler(batch)) ?? undefined;
      } catch (error) {
        ctx.emit({
          type: 'handler-failed',
          group: offsets.group,
          topic: log.topic,
          partition: log.partition,
          attempt,
          error: describeError(error),
        });
      }
      if (signal.aborted) return false;
      await pause(backoffDelay(attempt, RETRY), signal);
      if (signal.aborted) return false;
    }
  }

  /** Retention passed the group (or the log lost its tail): resume at the nearest end, and say so. */
  function resetPosition(error: OffsetOutOfRangeError): void {
    const to = error.offset < error.logStart ? error.logStart : error.logEnd;
    ctx.emit({
      type: 'offset-reset',
      group: offsets.group,
      topic: log.topic,
      partition: log.partition,
      from: position,
      to,
    });
    position = to;
    offsets.commit(log.topic, log.partition, position);
  }

  return {
    async stop() {
      controller.abort();
      await done;
    },
    position: () => position,
  };
}
