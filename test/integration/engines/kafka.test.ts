import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';

// Smoke test of the local Kafka (deploy/local/up) with the client Sluice uses, kafkajs:
// the protocol versions kafkajs speaks must be accepted by the pinned broker version.

interface Received {
  offset: string;
  value: string;
}

/** Consumes as `groupId` until `count` messages arrived, committing each one's offset after
 * handling it (the workers' at-least-once pattern), then leaves the group. */
async function consumeAndCommit(
  iso: Isolation,
  groupId: string,
  topic: string,
  count: number,
): Promise<Received[]> {
  const consumer: Consumer = iso
    .kafka()
    .consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const received: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length} of ${count} messages within 60 s`)),
        60_000,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
            if (received.length >= count) return; // past what this consumer should take: not committed
            received.push({ offset: message.offset, value: message.value?.toString() ?? '' });
            const next = (BigInt(message.offset) + 1n).toString();
            await consumer.commitOffsets([{ topic, partition, offset: next }]);
            if (received.length === count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('Kafka engine (kafkajs against the local broker)', () => {
  let iso: Isolation;
  let topic: string;
  let group: string;

  before(async () => {
    await requireEngines('kafka');
    iso = isolate('kafka smoke', ['kafka']);
    topic = `${iso.topicPrefix}events`;
    group = `${iso.groupPrefix}readers`;
  });

  after(async () => {
    await iso?.cleanup();
  });

  it('creates a topic with the requested partitions', async () => {
    const admin = iso.kafka().admin();
    await admin.connect();
    try {
      assert.equal(
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
        true,
      );
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      assert.equal(metadata.topics[0].partitions.length, 1);
    } finally {
      await admin.disconnect();
    }
  });

  it('acknowledges an idempotent acks=all batch with offsets 0..9', async () => {
    const producer = iso.kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const messages = Array.from({ length: 10 }, (_, i) => ({ key: 'acme/checkout', value: `m${i}` }));
      const [result] = await producer.send({ topic, acks: -1, messages });
      assert.equal(result.errorCode, 0);
      assert.equal(result.baseOffset, '0');
    } finally {
      await producer.disconnect();
    }
  });

  it('reads from the beginning in a consumer group and commits offsets as it goes', async () => {
    const received = await consumeAndCommit(iso, group, topic, 4);
    assert.deepEqual(
      received.map((r) => r.value),
      ['m0', 'm1', 'm2', 'm3'],
    );
    const admin = iso.kafka().admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      assert.deepEqual(offsets.partitions, [{ partition: 0, offset: '4', metadata: null }]);
    } finally {
      await admin.disconnect();
    }
  });

  it('resumes right after the committed offset when the same group reconnects', async () => {
    const received = await consumeAndCommit(iso, group, topic, 6);
    assert.deepEqual(received[0], { offset: '4', value: 'm4' });
    assert.deepEqual(
      received.map((r) => r.value),
      ['m4', 'm5', 'm6', 'm7', 'm8', 'm9'],
    );
  });

  it('cleanup deletes the isolation’s topics and consumer groups', async () => {
    await iso.cleanup();
    const admin = iso.kafka().admin();
    await admin.connect();
    try {
      assert.equal((await admin.listTopics()).includes(topic), false);
      const { groups } = await admin.listGroups();
      assert.equal(
        groups.some((g) => g.groupId === group),
        false,
      );
    } finally {
      await admin.disconnect();
    }
  });
});
