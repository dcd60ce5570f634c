/**
 * The Kafka side of the pipeline benchmark: topics, pre-producing logs.raw as the gateway would (records
 * keyed `tenant/service`, value = the normalized event JSON, zstd), end offsets and consumer-group lag,
 * and reading a topic back.
 */
import kafkajs, { type Admin, type Kafka, type Producer } from 'kafkajs';
import { registerZstdCodec } from '../../../backend/engines/bus/kafka/zstdCodec.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { EVENT_HEADERS } from '../../../core/event/wireFormat.ts';

const { CompressionTypes } = kafkajs;

export async function createTopics(admin: Admin, topics: string[], partitions: number): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
  });
}

/** Records a topic holds: the sum over its partitions of high watermark minus low. */
export async function topicRecords(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
}

/** End offset minus committed offset, summed over partitions (uncommitted partitions count whole). */
export async function groupLag(admin: Admin, group: string, topic: string): Promise<number> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  let lag = 0;
  for (const end of ends) {
    const c = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
    lag += Number(end.high) - (c === '-1' ? Number(end.low) : Number(c));
  }
  return lag;
}

export interface ProduceStats {
  events: number;
  /** Bytes of the events as NDJSON (one JSON line each, newline included): the raw size. */
  ndjsonBytes: number;
  seconds: number;
}

/**
 * Sends every event of `chunks` to `topic` like the gateway (key `tenant/service`, JSON value, zstd), but
 * tuned for speed: several batches of 5,000 in flight, acks from the leader only. It is set-up, not
 * measurement; the processor consumes what is there.
 */
export async function produceEvents(
  kafka: Kafka,
  topic: string,
  chunks: Iterable<{ events: LogEvent[] }>,
  onChunk?: (events: LogEvent[]) => void,
): Promise<ProduceStats> {
  registerZstdCodec();
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 4 });
  await producer.connect();
  const started = performance.now();
  let events = 0;
  let ndjsonBytes = 0;
  const inFlight = new Set<Promise<unknown>>();
  try {
    for (const chunk of chunks) {
      for (let at = 0; at < chunk.events.length; at += 5000) {
        const messages = chunk.events.slice(at, at + 5000).map((event) => {
          const value = Buffer.from(JSON.stringify(event));
          ndjsonBytes += value.byteLength + 1;
          return { key: `${event.tenant}/${event.service}`, value, headers: EVENT_HEADERS };
        });
        const send = producer.send({ topic, acks: 1, compression: CompressionTypes.ZSTD, messages });
        inFlight.add(send);
        void send.finally(() => inFlight.delete(send));
        events += messages.length;
        if (inFlight.size >= 4) await Promise.race(inFlight);
      }
      onChunk?.(chunk.events);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return { events, ndjsonBytes, seconds: (performance.now() - started) / 1000 };
}

/**
 * Reads every record `topic` holds now with a fresh group, handing values over in batches, and returns
 * once each partition's end offset (taken at the start) is reached.
 */
export async function readTopic(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  group: string,
  onBatch: (partition: number, values: Buffer[]) => void | Promise<void>,
): Promise<number> {
  registerZstdCodec();
  const ends = new Map<number, number>();
  for (const p of await admin.fetchTopicOffsets(topic))
    if (Number(p.high) > Number(p.low)) ends.set(p.partition, Number(p.high));
  if (ends.size === 0) return 0;
  const consumer = kafka.consumer({ groupId: group, maxBytesPerPartition: 8 * 1024 * 1024 });
  let read = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition);
        if (end === undefined) return;
        const values: Buffer[] = [];
        let last = -1;
        for (const m of batch.messages) {
          last = Number(m.offset);
          if (last >= end) break;
          if (m.value !== null) values.push(m.value);
        }
        read += values.length;
        await onBatch(batch.partition, values);
        if (last >= end - 1) {
          ends.delete(batch.partition);
          if (ends.size === 0) finish();
        }
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return read;
}
