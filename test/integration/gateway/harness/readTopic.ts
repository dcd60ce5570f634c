/**
 * Reads a Kafka topic from the beginning to its current end with kafkajs, as an independent check of what
 * the gateway stored: the end offsets are taken first, then a fresh consumer group reads until every
 * partition has reached them.
 */
import type { Kafka } from 'kafkajs';
import { registerZstdCodec } from '../../../../backend/engines/bus/kafka/zstdCodec.ts';
import { quietKnownWarnings } from '../../../../backend/server/quietWarnings.ts';

quietKnownWarnings(); // kafkajs' negative-timer warning (its issue #1751), harmless and noisy

export interface StoredRecord {
  partition: number;
  offset: string;
  key: string;
  event: Record<string, unknown>;
}

export async function readTopic(kafka: Kafka, topic: string, groupId: string): Promise<StoredRecord[]> {
  registerZstdCodec(); // the gateway produces zstd batches; kafkajs itself only decodes gzip
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const remaining = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
  const records: StoredRecord[] = [];
  if (remaining.size === 0) return records;

  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let finished!: () => void;
    let crashed!: (error: Error) => void;
    const done = new Promise<void>((resolve, reject) => {
      finished = resolve;
      crashed = reject;
    });
    // A retriable crash (a fresh broker's "coordinator is loading") is restarted by kafkajs itself.
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart)
        crashed(new Error(`reading ${topic}: the consumer crashed: ${e.payload.error.message}`));
    });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? '',
          event: JSON.parse(message.value?.toString('utf8') ?? 'null'),
        });
        if (BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) {
          remaining.delete(partition);
          if (remaining.size === 0) finished();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `reading ${topic}: partitions ${[...remaining].join(',')} not read to their end within 60 s (${records.length} records read)`,
              ),
            ),
          60_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return records;
}
