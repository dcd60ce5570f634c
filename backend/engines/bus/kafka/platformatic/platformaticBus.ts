import { Admin, findErrorBy, ProduceAcks, Producer } from '@platformatic/kafka';
import { type Bus, BusUnavailableError, type Consumer } from '../../../../../core/ports/bus.ts';
import type { KafkaBusOptions } from '../kafkaBus.ts';
import { coalescingSender, withTimeout } from '../sendQueue.ts';
import { baseOptions } from './clientOptions.ts';
import { describe } from './describeError.ts';
import { consumeGroup } from './groupConsumer.ts';
import { memoizedPartitioner, memoizedStringSerializer } from './memoized.ts';

type SluiceProducer = Producer<string, Buffer, string, string>;

/**
 * The Bus port on Apache Kafka through @platformatic/kafka: the same guarantees as the kafkajs adapter
 * (kafkaBus.ts), with a client that spends about half the CPU per produced record. The producer is
 * idempotent with acks=all; concurrent produce() calls are coalesced into one request (sendQueue.ts).
 */
export async function openPlatformaticBus(options: KafkaBusOptions): Promise<Bus> {
  const log = options.log.child({ component: 'kafka', client: 'platformatic' });
  const base = baseOptions(options);
  const admin = new Admin(base);
  const produceTimeoutMs = options.produceTimeoutMs ?? 10_000;
  const newProducer = (): SluiceProducer => {
    const text = memoizedStringSerializer();
    return new Producer<string, Buffer, string, string>({
      ...base,
      idempotent: true,
      acks: ProduceAcks.ALL,
      compression: options.compression ?? 'zstd',
      // Java's (and kafkajs') murmur2 partitioner: a key lands on the same partition whichever client wrote it.
      partitioner: memoizedPartitioner(),
      serializers: { key: text, headerKey: text, headerValue: text },
    });
  };
  let producer = newProducer();
  const consumers = new Set<Consumer>();

  /**
   * A failed or timed-out send has an unknown outcome (a hung broker may still append it later), and the
   * producer's sequence numbers may no longer match the broker's: the next batch could be taken for a
   * duplicate of the failed one and acknowledged without being stored. So after any failure the producer
   * is replaced: a new one has fresh connections and a new producer id.
   */
  function replaceProducer(failed: SluiceProducer): void {
    if (producer !== failed) return;
    producer = newProducer();
    failed
      .close()
      .catch((error: unknown) =>
        log.debug('abandoned producer did not close cleanly', { error: (error as Error).message }),
      );
  }

  const produce = coalescingSender(
    async (byTopic) => {
      const client = producer;
      const messages = [];
      for (const [topic, list] of byTopic)
        for (const m of list) messages.push({ topic, key: m.key, value: m.value, headers: m.headers });
      try {
        await withTimeout(client.send({ messages }), produceTimeoutMs);
      } catch (error) {
        replaceProducer(client);
        throw error;
      }
    },
    (error, records) => {
      log.warn('produce failed', { error: describe(error), records });
      return new BusUnavailableError(`Kafka did not acknowledge the batch: ${describe(error)}`, 2, {
        cause: error,
      });
    },
  );

  return {
    async ensureTopics(topics) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = [...new Set(topics)].filter((t) => !existing.has(t));
        if (missing.length === 0) return;
        try {
          await admin.createTopics({
            topics: missing,
            partitions: options.partitions,
            replicas: options.replication,
          });
          log.info('created topics', { topics: missing, partitions: options.partitions });
        } catch (error) {
          // Another caller created them meanwhile: what was asked for is there.
          if (findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS') === null) throw error;
        }
        await leadersElected(admin, missing);
      } catch (error) {
        throw new BusUnavailableError(`could not create Kafka topics: ${describe(error)}`, 5, {
          cause: error,
        });
      }
    },

    produce,

    async consume(opts) {
      const consumer = await consumeGroup(opts, { base, log, onStop: () => consumers.delete(consumer) });
      consumers.add(consumer);
      return consumer;
    },

    async committed(group, topic, partition) {
      const [entry] = await admin.listConsumerGroupOffsets({
        groups: [{ groupId: group, topics: [{ name: topic, partitionIndexes: [partition] }] }],
      });
      const p = entry?.topics
        .find((t) => t.name === topic)
        ?.partitions.find((x) => x.partitionIndex === partition);
      if (p === undefined || p.committedOffset < 0n) return null;
      return { nextOffset: p.committedOffset, metadata: p.metadata === '' ? null : (p.metadata ?? null) };
    },

    async ready() {
      try {
        await withTimeout(admin.metadata({ topics: [], forceUpdate: true }), 3000);
        return true;
      } catch {
        return false; // readiness is a yes/no answer; the reason is in the produce/consume errors
      }
    },

    async close() {
      await Promise.allSettled([...consumers].map((c) => c.stop()));
      await Promise.allSettled([producer.close(), admin.close()]);
    },
  };
}

/** Waits until every partition of `topics` has a leader, so the first produce is not refused. */
async function leadersElected(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const metadata = await admin.metadata({ topics, forceUpdate: true }).catch(() => undefined);
    const ready = topics.every((t) => {
      const topic = metadata?.topics.get(t);
      return topic?.partitions.every((p) => p !== undefined && p.leader >= 0) === true;
    });
    if (ready || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
