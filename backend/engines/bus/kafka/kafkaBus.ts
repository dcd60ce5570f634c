import kafkajs, {
  type Admin,
  type EachBatchPayload,
  type KafkaConfig,
  type Consumer as KafkaConsumer,
  type Producer,
} from 'kafkajs';
import type { Logger } from '../../../../core/log/logger.ts';
import {
  type Bus,
  BusUnavailableError,
  type ConsumedRecord,
  type ConsumeOptions,
  type Consumer,
  type IdleOptions,
} from '../../../../core/ports/bus.ts';
import { coalescingSender, withTimeout } from './sendQueue.ts';
import { registerZstdCodec } from './zstdCodec.ts';

// kafkajs is CommonJS; take its values from the default export (types come from the named ones above).
const { CompressionTypes, Kafka, logLevel, Partitioners } = kafkajs;

export interface KafkaBusOptions {
  brokers: string[];
  clientId?: string;
  /** Partitions and replication factor for topics created at start-up. */
  partitions: number;
  replication: number;
  compression?: 'none' | 'gzip' | 'zstd';
  /** How long produce may take, retries included, before the caller is told the bus is unavailable. */
  produceTimeoutMs?: number;
  /** TLS to the brokers: CA, client certificate and key as PEM. */
  ssl?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  log: Logger;
}

const COMPRESSION = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  zstd: CompressionTypes.ZSTD,
} as const;

/**
 * The Bus port on Apache Kafka (kafkajs). The producer is idempotent with acks=all, so an acknowledged
 * batch is on every in-sync replica and a retried request is not written twice. kafkajs allows one
 * request in flight per broker for an idempotent producer, so concurrent produce() calls are coalesced
 * (sendQueue.ts).
 */
export async function openKafkaBus(options: KafkaBusOptions): Promise<Bus> {
  if (options.compression === 'zstd' || options.compression === undefined) registerZstdCodec();
  const log = options.log.child({ component: 'kafka' });
  const config: KafkaConfig = {
    clientId: options.clientId ?? 'sluice',
    brokers: options.brokers,
    ssl: options.ssl,
    sasl: options.sasl as KafkaConfig['sasl'],
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: logLevel.NOTHING,
  };
  const kafka = new Kafka(config);
  const admin = kafka.admin();
  /** One kafkajs producer and its connection attempt; replaced whole after a failed send. */
  interface ProducerSlot {
    client: Producer;
    connecting: Promise<void> | null;
  }
  const newSlot = (): ProducerSlot => ({
    client: kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: memoizedPartitioner,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
    }),
    connecting: null,
  });
  let producer = newSlot();
  let adminConnected = false;
  const compression = COMPRESSION[options.compression ?? 'zstd'];
  const produceTimeoutMs = options.produceTimeoutMs ?? 10_000;
  const consumers = new Set<KafkaConsumer>();

  function connected(slot: ProducerSlot): Promise<void> {
    slot.connecting ??= slot.client.connect();
    return slot.connecting;
  }

  /**
   * A failed or timed-out send has an unknown outcome: the broker may still append it (a hung broker
   * resumes and works through its queue). kafkajs rolls the batch's sequence numbers back on any error,
   * so the next batch from the same producer would reuse them, and the broker would take it for a
   * duplicate of the failed one and acknowledge it without storing it: an acknowledged batch lost.
   * A failed connect can also leave a kafkajs client that reports itself connected but can never send
   * ("Broker not connected"). So after any failure the producer is replaced: a new one has fresh
   * connections and a new producer id, whose sequences cannot be mistaken for the old one's.
   */
  function replaceProducer(failed: ProducerSlot): void {
    if (producer !== failed) return;
    producer = newSlot();
    // Aborts the abandoned send, if it is still retrying; its outcome was already reported as a failure.
    failed.client
      .disconnect()
      .catch((error: unknown) =>
        log.debug('abandoned producer did not disconnect cleanly', { error: (error as Error).message }),
      );
  }

  async function adminClient(): Promise<Admin> {
    if (!adminConnected) {
      await admin.connect();
      adminConnected = true;
    }
    return admin;
  }

  const produce = coalescingSender(
    async (byTopic) => {
      const slot = producer;
      try {
        // Connecting counts against the timeout too: a hung broker accepts connections and never answers.
        await withTimeout(
          connected(slot).then(() =>
            slot.client.sendBatch({
              acks: -1,
              compression,
              topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
            }),
          ),
          produceTimeoutMs,
        );
      } catch (error) {
        replaceProducer(slot);
        throw error;
      }
    },
    (error, records) => {
      log.warn('produce failed', { error: (error as Error).message, records });
      return new BusUnavailableError(`Kafka did not acknowledge the batch: ${(error as Error).message}`, 2, {
        cause: error,
      });
    },
  );

  return {
    async ensureTopics(topics) {
      try {
        const a = await adminClient();
        const existing = new Set(await a.listTopics());
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length === 0) return;
        await a.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: options.partitions,
            replicationFactor: options.replication,
          })),
        });
        log.info('created topics', { topics: missing, partitions: options.partitions });
      } catch (error) {
        throw new BusUnavailableError(`could not create Kafka topics: ${(error as Error).message}`, 5, {
          cause: error,
        });
      }
    },

    produce,

    async consume(opts: ConsumeOptions): Promise<Consumer> {
      const consumer = kafka.consumer({
        groupId: opts.group,
        maxBytesPerPartition: 4 * 1024 * 1024,
        retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 },
        sessionTimeout: 30_000,
        heartbeatInterval: 3000,
      });
      let stopping = false;
      let inFlight: Promise<void> | null = null;
      // Partitions this member owns now, from the group's assignment (for lag()).
      let assigned: Array<{ topic: string; partitions: number[] }> = [];
      consumer.on(consumer.events.CRASH, (e) => {
        if (!e.payload.restart)
          log.error('consumer stopped for good; restart the process', {
            group: opts.group,
            error: e.payload.error.message,
          });
      });
      // Where each partition stands in this generation, for the idle handler; a rejoin starts afresh.
      const reading = new Map<string, ReadPosition>();
      let idling: Promise<void> | null = null;
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        reading.clear();
        assigned = Object.entries(e.payload.memberAssignment).map(([topic, partitions]) => ({
          topic,
          partitions,
        }));
        opts.onAssigned?.(
          assigned.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition }))),
        );
      });
      await consumer.connect();
      for (const topic of opts.topics)
        await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
      const max = opts.maxBatchRecords ?? 1000;
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          // The idle handler and a batch never overlap (its commit would race the batch's).
          while (idling !== null) await idling;
          let finished!: () => void;
          inFlight = new Promise((resolve) => {
            finished = resolve;
          });
          try {
            await consumeBatch({ batch, resolveOffset, heartbeat, isRunning, isStale });
          } finally {
            finished();
            inFlight = null;
          }
        },
      });
      async function consumeBatch({
        batch,
        resolveOffset,
        heartbeat,
        isRunning,
        isStale,
      }: Pick<EachBatchPayload, 'batch' | 'resolveOffset' | 'heartbeat' | 'isRunning' | 'isStale'>) {
        for (let i = 0; i < batch.messages.length && isRunning() && !isStale() && !stopping; i += max) {
          const slice = batch.messages.slice(i, i + max);
          const records: ConsumedRecord[] = slice.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: BigInt(m.offset),
            timestamp: Number(m.timestamp),
            key: m.key?.toString('utf8') ?? '',
            value: m.value ?? new Uint8Array(0),
            headers: decodeHeaders(m.headers),
          }));
          const lastOffset = records[records.length - 1].offset;
          // The handler must finish (its sink has the data) before the offset is committed: at-least-once.
          const request = await whileHeartbeating(heartbeat, () =>
            opts.handler({
              topic: batch.topic,
              partition: batch.partition,
              records,
              lastOffset,
            }),
          );
          resolveOffset(String(lastOffset));
          const next =
            request === undefined || request.nextOffset > lastOffset + 1n
              ? lastOffset + 1n
              : request.nextOffset;
          try {
            await consumer.commitOffsets([
              {
                topic: batch.topic,
                partition: batch.partition,
                offset: String(next),
                metadata: request?.metadata ?? null,
              },
            ] as Parameters<typeof consumer.commitOffsets>[0]);
          } catch (error) {
            throw groupMembershipError(error);
          }
          reading.set(`${batch.topic}\u0000${batch.partition}`, {
            topic: batch.topic,
            partition: batch.partition,
            next: lastOffset + 1n,
            end: BigInt(batch.highWatermark),
            quietSince: Date.now(),
          });
          await heartbeat();
        }
      }

      /** Hands every partition read to its end and quiet for `afterMs` to the idle handler. */
      async function runIdle(idle: IdleOptions): Promise<void> {
        for (const [key, at] of reading) {
          if (stopping) return;
          if (at.next < at.end || Date.now() - at.quietSince < idle.afterMs) continue;
          try {
            const request = await idle.handler({
              topic: at.topic,
              partition: at.partition,
              nextOffset: at.next,
            });
            // A rebalance meanwhile: the partition's new owner commits for it.
            if (request === undefined || reading.get(key) !== at) continue;
            const next = request.nextOffset > at.next ? at.next : request.nextOffset;
            await consumer.commitOffsets([
              {
                topic: at.topic,
                partition: at.partition,
                offset: String(next),
                metadata: request.metadata ?? null,
              },
            ] as Parameters<typeof consumer.commitOffsets>[0]);
          } catch (error) {
            // Nothing is lost: what it would have released stays held until the next quiet tick.
            log.warn('idle handler failed; retried on the next quiet tick', {
              group: opts.group,
              partition: at.partition,
              error: (error as Error).message,
            });
          }
        }
      }
      const idleTimer =
        opts.idle === undefined
          ? undefined
          : setInterval(
              (idle: IdleOptions) => {
                if (stopping || inFlight !== null || idling !== null) return;
                idling = runIdle(idle).finally(() => {
                  idling = null;
                });
              },
              opts.idle.afterMs,
              opts.idle,
            );
      idleTimer?.unref();
      consumers.add(consumer);
      return {
        async stop() {
          // kafkajs ignores commits once disconnect() has begun, so finish (and commit) the batch in flight
          // first, with no new batch started, and only then leave the group.
          stopping = true;
          clearInterval(idleTimer);
          consumer.pause(opts.topics.map((topic) => ({ topic })));
          while (inFlight !== null || idling !== null) await (inFlight ?? idling);
          consumers.delete(consumer);
          await consumer.disconnect();
        },
        async lag() {
          const a = await adminClient();
          const out: Array<{ topic: string; partition: number; lag: bigint }> = [];
          for (const { topic, partitions } of assigned) {
            const ends = await a.fetchTopicOffsets(topic);
            const [committed] = await a.fetchOffsets({ groupId: opts.group, topics: [topic] });
            for (const end of ends.filter((e) => partitions.includes(e.partition))) {
              const c = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
              const start = BigInt(c === '-1' ? end.low : c);
              out.push({ topic, partition: end.partition, lag: BigInt(end.high) - start });
            }
          }
          return out;
        },
      };
    },

    async committed(group, topic, partition) {
      const a = await adminClient();
      const [entry] = await a.fetchOffsets({ groupId: group, topics: [topic] });
      const p = entry?.partitions.find((x) => x.partition === partition) as
        | { offset: string; metadata?: string | null }
        | undefined;
      if (p === undefined || p.offset === '-1') return null;
      return { nextOffset: BigInt(p.offset), metadata: p.metadata ?? null };
    },

    async ready() {
      try {
        const a = await adminClient();
        await withTimeout(a.describeCluster(), 3000);
        return true;
      } catch {
        return false; // readiness is a yes/no answer; the reason is in the produce/consume errors
      }
    },

    async close() {
      for (const c of consumers) await c.disconnect().catch(() => undefined);
      if (producer.connecting !== null) await producer.client.disconnect();
      if (adminConnected) await admin.disconnect();
    },
  };
}

/** How far a consumer has read one partition (for the idle handler). */
interface ReadPosition {
  topic: string;
  partition: number;
  /** The offset after the last record handled. */
  next: bigint;
  /** The partition's high watermark when it was fetched: read to the end when next reaches it. */
  end: bigint;
  quietSince: number;
}

/** kafkajs' own heartbeat interval (consume() sets `heartbeatInterval` to it). */
const HEARTBEAT_MS = 3000;

/**
 * Runs a handler while heartbeating the group. kafkajs heartbeats only between batches, so a handler that
 * fails again and again while its sink is down (each failure retried after a backoff) or that is simply
 * slow lets the session expire: the broker drops the member, and the commit once the sink is back fails.
 */
async function whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  // A failed heartbeat (rebalance, membership lost) needs no action here: the commit meets the same
  // condition and kafkajs rejoins the group from there.
  const beat = () => void heartbeat().catch(() => undefined);
  beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

const GROUP_MEMBERSHIP_ERRORS = new Set([
  'UNKNOWN_MEMBER_ID',
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'NOT_COORDINATOR_FOR_GROUP',
]);

/**
 * kafkajs wraps a commit refused for group membership (session expired, rebalance under way) in a
 * non-retriable error, and a consumer seeing one stops for good while the process lives on. The wrapped
 * protocol error carries the type kafkajs' fetch loop recovers from by rejoining the group (the batch is
 * then delivered again, as it was not committed), so that is the error to throw.
 */
function groupMembershipError(error: unknown): unknown {
  const cause = (error as { cause?: { type?: unknown } }).cause;
  return typeof cause?.type === 'string' && GROUP_MEMBERSHIP_ERRORS.has(cause.type) ? cause : error;
}

/**
 * kafkajs's default (murmur2) partitioner, remembering each key's partition per topic and partition
 * count: logs.raw keys are tenant/service, a handful of distinct strings, so hashing every message
 * again (murmur2 on kafkajs's Long emulation) is wasted work. Same partitions as the default.
 */
function memoizedPartitioner(): ReturnType<typeof Partitioners.DefaultPartitioner> {
  const hash = Partitioners.DefaultPartitioner();
  const cache = new Map<string, { partitions: number; byKey: Map<string, number> }>();
  return (args) => {
    const { topic, partitionMetadata, message } = args;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (typeof message.key !== 'string') return hash(args);
    let entry = cache.get(topic);
    if (entry === undefined || entry.partitions !== partitionMetadata.length || entry.byKey.size > 10_000) {
      entry = { partitions: partitionMetadata.length, byKey: new Map() };
      cache.set(topic, entry);
    }
    let partition = entry.byKey.get(message.key);
    if (partition === undefined) {
      partition = hash(args);
      entry.byKey.set(message.key, partition);
    }
    return partition;
  };
}

function decodeHeaders(headers: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = String(v);
  return out;
}
