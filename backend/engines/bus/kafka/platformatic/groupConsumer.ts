import {
  type BaseOptions,
  Consumer as KafkaConsumer,
  type Message,
  type MessagesStream,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  stringDeserializer,
} from '@platformatic/kafka';
import type { Logger } from '../../../../../core/log/logger.ts';
import type { ConsumedRecord, ConsumeOptions, Consumer, IdleOptions } from '../../../../../core/ports/bus.ts';
import { withTimeout } from '../sendQueue.ts';
import { commitWithMetadata } from './commitWithMetadata.ts';
import { describe } from './describeError.ts';

type Client = KafkaConsumer<string, Buffer, string, string>;
type Stream = MessagesStream<string, Buffer, string, string>;
type KafkaMessage = Message<string, Buffer, string, string>;

/** The records of one partition taken in and not yet handed to the handler, and where it stands. */
interface PartitionQueue {
  topic: string;
  partition: number;
  pending: ConsumedRecord[];
  /** Offset after the last record taken in: older records fetched again after a rejoin are dropped. */
  expected: bigint | undefined;
  /** Offset after the last record whose handler finished, once one did (for the idle handler). */
  handledNext: bigint | undefined;
  quietSince: number;
}

const EMPTY = Buffer.alloc(0);
const RETRY_FIRST_MS = 300;
const RETRY_MAX_MS = 5000;

/**
 * One member of a consumer group, with the Bus port's batch semantics on top of the client's message
 * stream: records are queued per partition and handed to the handler one batch (one partition) at a
 * time; the batch's offset, with the handler's metadata, is committed only after the handler resolved.
 * A handler that throws is not skipped: the stream is reopened at the group's committed offsets after a
 * backoff, so the batch (and anything held back before it) is delivered again. The client heartbeats on
 * its own timer, so a slow handler does not lose the group.
 */
export async function consumeGroup(
  opts: ConsumeOptions,
  deps: { base: BaseOptions; log: Logger; onStop: () => void },
): Promise<Consumer> {
  const log = deps.log.child({ group: opts.group });
  const max = opts.maxBatchRecords ?? 1000;
  // Records queued beyond this pause the stream; it resumes below half of it.
  const high = Math.max(4 * max, 8192);
  const queues = new Map<string, PartitionQueue>();
  let buffered = 0;
  let paused = false;
  let stopping = false;
  let working = false;
  let inFlight: Promise<void> | null = null;
  let idling: Promise<void> | null = null;
  let restarting: Promise<void> | null = null;
  let retryMs = RETRY_FIRST_MS;
  let memberId: string | null = null;
  /** Partitions of the last assignment (null before the first). */
  let owned: Set<string> | null = null;

  const newClient = (): Client => {
    const c = new KafkaConsumer<string, Buffer, string, string>({
      ...deps.base,
      groupId: opts.group,
      autocommit: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      maxWaitTime: 1000,
      maxBytesPerPartition: 4 * 1024 * 1024,
      deserializers: {
        key: stringDeserializer,
        headerKey: stringDeserializer,
        headerValue: stringDeserializer,
      },
    });
    c.on('consumer:group:join', (payload) => onJoin(payload.memberId, payload.assignments ?? []));
    return c;
  };
  let client = newClient();
  let stream: Stream | null = null;

  /** A rebalance: queued records of partitions no longer ours are dropped (their new owner reads them). */
  function onJoin(member: string, assignments: Array<{ topic: string; partitions: number[] }>): void {
    owned = new Set(assignments.flatMap((a) => a.partitions.map((p) => key(a.topic, p))));
    // Removed from the group meanwhile (session expired): others may have moved our partitions on.
    const rejoinedAsNew = memberId !== null && member !== memberId;
    memberId = member;
    for (const [k, q] of queues)
      if (rejoinedAsNew || !owned.has(k)) {
        buffered -= q.pending.length;
        queues.delete(k);
      }
    opts.onAssigned?.(
      assignments.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition }))),
    );
    resumeIfDrained();
  }

  async function openStream(): Promise<void> {
    const s = (await client.consume({
      topics: opts.topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode:
        (opts.fromBeginning ?? true)
          ? MessagesStreamFallbackModes.EARLIEST
          : MessagesStreamFallbackModes.LATEST,
      autocommit: false,
    })) as Stream;
    stream = s;
    paused = false;
    s.on('data', (m: KafkaMessage) => {
      if (s === stream) take(m);
    });
    s.on('error', (error) => log.warn('consumer stream failed', { error: describe(error) }));
    s.on('close', () => {
      if (s === stream && !stopping) void restart('the consumer stream closed');
    });
  }

  function take(m: KafkaMessage): void {
    const k = key(m.topic, m.partition);
    // A fetch answered after a rebalance took the partition: its new owner reads these.
    if (owned !== null && !owned.has(k)) return;
    let q = queues.get(k);
    if (q === undefined) {
      q = {
        topic: m.topic,
        partition: m.partition,
        pending: [],
        expected: undefined,
        handledNext: undefined,
        quietSince: Date.now(),
      };
      queues.set(k, q);
    }
    if (q.expected !== undefined && m.offset < q.expected) return;
    q.expected = m.offset + 1n;
    q.pending.push({
      topic: m.topic,
      partition: m.partition,
      offset: m.offset,
      timestamp: Number(m.timestamp),
      key: m.key ?? '',
      value: m.value ?? EMPTY,
      headers: m.headerEntries.length === 0 ? undefined : Object.fromEntries(m.headerEntries),
    });
    if (++buffered >= high && !paused && stream !== null) {
      paused = true;
      stream.pause();
    }
    void work();
  }

  function resumeIfDrained(): void {
    if (paused && buffered < high / 2 && stream !== null && !stopping) {
      paused = false;
      stream.resume();
    }
  }

  /** The next partition with records waiting, taken round robin so one busy partition starves none. */
  function nextQueue(): PartitionQueue | undefined {
    for (const [k, q] of queues)
      if (q.pending.length > 0) {
        queues.delete(k);
        queues.set(k, q);
        return q;
      }
    return undefined;
  }

  async function work(): Promise<void> {
    if (working) return;
    working = true;
    try {
      for (;;) {
        // The idle handler and a batch never overlap (its commit would race the batch's).
        while (idling !== null) await idling;
        if (stopping || restarting !== null) return;
        const q = nextQueue();
        if (q === undefined) return;
        const records = q.pending.length <= max ? q.pending.splice(0) : q.pending.splice(0, max);
        buffered -= records.length;
        resumeIfDrained();
        let finished!: () => void;
        inFlight = new Promise((resolve) => {
          finished = resolve;
        });
        try {
          await handleBatch(q, records);
        } finally {
          finished();
          inFlight = null;
        }
      }
    } finally {
      working = false;
    }
  }

  async function handleBatch(q: PartitionQueue, records: ConsumedRecord[]): Promise<void> {
    const lastOffset = records[records.length - 1].offset;
    let request: Awaited<ReturnType<ConsumeOptions['handler']>>;
    try {
      request = await opts.handler({ topic: q.topic, partition: q.partition, records, lastOffset });
    } catch (error) {
      void restart(`the handler failed: ${(error as Error).message}`);
      return;
    }
    retryMs = RETRY_FIRST_MS;
    // Revoked meanwhile: its new owner commits for it.
    if (queues.get(key(q.topic, q.partition)) !== q) return;
    const next =
      request === undefined || request.nextOffset > lastOffset + 1n ? lastOffset + 1n : request.nextOffset;
    await commit(q, next, request?.metadata ?? null);
    q.handledNext = lastOffset + 1n;
    q.quietSince = Date.now();
  }

  async function commit(q: PartitionQueue, nextOffset: bigint, metadata: string | null): Promise<void> {
    try {
      await commitWithMetadata(client, opts.group, q.topic, q.partition, nextOffset, metadata);
    } catch (error) {
      // Not lost: the next commit of the partition covers it, or its next owner reads it again.
      log.warn('offset commit failed', { partition: q.partition, error: describe(error) });
    }
  }

  /**
   * Drops everything queued and reads again from the group's committed offsets, after a backoff; a
   * stream that cannot be reopened gets a new client (a broken connection pool, a group left behind).
   */
  function restart(reason: string): Promise<void> {
    restarting ??= (async () => {
      log.warn('consumer restarts from the committed offsets', { reason, retry_in_ms: retryMs });
      const old = stream;
      stream = null;
      queues.clear();
      buffered = 0;
      paused = false;
      await closeQuietly(old);
      let fresh = false;
      while (!stopping) {
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        if (stopping) break;
        try {
          if (fresh) {
            await client.close(true).catch(() => undefined); // replaced either way
            client = newClient();
            memberId = null;
          }
          await openStream();
          return;
        } catch (error) {
          log.warn('consumer could not reopen; retrying', { error: describe(error) });
          fresh = true;
        }
      }
    })().finally(() => {
      restarting = null;
    });
    return restarting;
  }

  async function closeQuietly(s: Stream | null): Promise<void> {
    if (s === null) return;
    await withTimeout(s.close(), 10_000).catch((error: unknown) =>
      log.debug('consumer stream did not close cleanly', { error: describe(error) }),
    );
  }

  /** Hands every partition read to its end and quiet for `afterMs` to the idle handler. */
  async function runIdle(idle: IdleOptions): Promise<void> {
    const now = Date.now();
    const quiet = [...queues.values()].filter(
      (q) => q.handledNext !== undefined && q.pending.length === 0 && now - q.quietSince >= idle.afterMs,
    );
    if (quiet.length === 0) return;
    const ends = await endOffsets(client, quiet).catch(() => undefined);
    for (const q of quiet) {
      if (stopping || restarting !== null || ends === undefined) return;
      const at = q.handledNext;
      if (at === undefined || at < (ends.get(q.topic)?.[q.partition] ?? at + 1n)) continue;
      try {
        const request = await idle.handler({ topic: q.topic, partition: q.partition, nextOffset: at });
        if (request === undefined || queues.get(key(q.topic, q.partition)) !== q || q.handledNext !== at)
          continue;
        await commit(q, request.nextOffset > at ? at : request.nextOffset, request.metadata ?? null);
      } catch (error) {
        // Nothing is lost: what it would have released stays held until the next quiet tick.
        log.warn('idle handler failed; retried on the next quiet tick', {
          partition: q.partition,
          error: describe(error),
        });
      }
    }
  }

  await openStream();
  const idleTimer =
    opts.idle === undefined
      ? undefined
      : setInterval(
          (idle: IdleOptions) => {
            if (stopping || inFlight !== null || idling !== null || restarting !== null) return;
            idling = runIdle(idle).finally(() => {
              idling = null;
            });
          },
          opts.idle.afterMs,
          opts.idle,
        );
  idleTimer?.unref();

  return {
    async stop() {
      stopping = true;
      clearInterval(idleTimer);
      stream?.pause();
      while (inFlight !== null || idling !== null || restarting !== null)
        await (inFlight ?? idling ?? restarting);
      deps.onStop();
      const s = stream;
      stream = null;
      await closeQuietly(s);
      await client
        .close(true)
        .catch((error: unknown) =>
          log.debug('consumer did not leave the group cleanly', { error: describe(error) }),
        );
    },
    async lag() {
      const assigned = client.assignments ?? [];
      const out: Array<{ topic: string; partition: number; lag: bigint }> = [];
      if (assigned.length === 0) return out;
      const partitions = Object.fromEntries(assigned.map((a) => [a.topic, a.partitions]));
      const topics = assigned.map((a) => a.topic);
      const [ends, starts, committed] = await Promise.all([
        client.listOffsets({ topics, partitions }),
        client.listOffsets({ topics, partitions, timestamp: -2n }),
        client.listCommittedOffsets({ topics: assigned }),
      ]);
      for (const { topic, partitions: owned } of assigned)
        for (const p of owned) {
          const end = ends.get(topic)?.[p] ?? 0n;
          const c = committed.get(topic)?.[p] ?? -1n;
          const start = c >= 0n ? c : (starts.get(topic)?.[p] ?? 0n);
          out.push({ topic, partition: p, lag: end - start });
        }
      return out;
    },
  };
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Each partition's end (the offset the next record gets), by topic and partition. */
async function endOffsets(client: Client, queues: PartitionQueue[]): Promise<Map<string, bigint[]>> {
  const partitions: Record<string, number[]> = {};
  for (const q of queues) {
    partitions[q.topic] ??= [];
    partitions[q.topic].push(q.partition);
  }
  return client.listOffsets({ topics: Object.keys(partitions), partitions });
}
