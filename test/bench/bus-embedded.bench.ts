/**
 * Embedded bus throughput: N concurrent producers each producing 1,000-record batches of ~300-byte
 * values (the gateway's shape: one produce per HTTP batch), then one group consuming everything.
 *
 *   node test/bench/bus-embedded.bench.ts [--fsync always|interval|never] [--producers 8] [--batches 40]
 *                                         [--partitions 4] [--dir /path/on/the/disk/to/measure]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openEmbeddedBus } from '../../backend/engines/bus/embedded/embeddedBus.ts';
import type { BusRecord } from '../../core/ports/bus.ts';

const { values } = parseArgs({
  options: {
    fsync: { type: 'string', default: 'always' },
    producers: { type: 'string', default: '8' },
    batches: { type: 'string', default: '40' },
    partitions: { type: 'string', default: '4' },
    dir: { type: 'string' },
  },
});
const fsync = values.fsync as 'always' | 'interval' | 'never';
const producers = Number(values.producers);
const batchesPerProducer = Number(values.batches);
const RECORDS_PER_BATCH = 1000;

function makeBatch(producer: number, batch: number): BusRecord[] {
  const records: BusRecord[] = [];
  for (let i = 0; i < RECORDS_PER_BATCH; i++) {
    const event = {
      id: `0193f2c4-${producer}-${batch}-${i}`,
      ts: new Date().toISOString(),
      level: 'info',
      service: `svc-${i % 8}`,
      tenant: 'acme',
      message: `request handled in ${i} ms `.padEnd(170, 'x'),
      attrs: { 'http.status': 200 },
    };
    records.push({ key: `acme/svc-${(producer + i) % 16}`, value: Buffer.from(JSON.stringify(event)) });
  }
  return records;
}

const dir = await mkdtemp(join(values.dir ?? tmpdir(), 'sluice-bench-'));
const bus = await openEmbeddedBus({ dir, fsync, partitions: Number(values.partitions), onEvent: () => {} });
const topic = 'logs.raw';
await bus.ensureTopics([topic]);
// Batches are built up front (and reused) so the timing measures the bus, not JSON generation.
const pool = Array.from({ length: producers * 2 }, (_, i) => makeBatch(i % producers, i));
const sample = pool[0];
const bytesPerBatch = sample.reduce((n, r) => n + r.value.byteLength + r.key.length, 0);

const t0 = performance.now();
await Promise.all(
  Array.from({ length: producers }, async (_, p) => {
    for (let b = 0; b < batchesPerProducer; b++) await bus.produce(topic, pool[(p * 2 + b) % pool.length]);
  }),
);
const produceSeconds = (performance.now() - t0) / 1000;
const total = producers * batchesPerProducer * RECORDS_PER_BATCH;
const totalMB = (producers * batchesPerProducer * bytesPerBatch) / 1e6;
const stats = bus.stats();

let consumed = 0;
const t1 = performance.now();
const done = Promise.withResolvers<void>();
const consumer = await bus.consume({
  group: 'bench',
  topics: [topic],
  fromBeginning: true,
  maxBatchRecords: 1000,
  handler: async (batch) => {
    consumed += batch.records.length;
    if (consumed >= total) done.resolve();
  },
});
await done.promise;
const consumeSeconds = (performance.now() - t1) / 1000;
await consumer.stop();
await bus.close();
await rm(dir, { recursive: true, force: true });

const avgValue = Math.round(sample.reduce((n, r) => n + r.value.byteLength, 0) / sample.length);
console.log(
  JSON.stringify(
    {
      fsync,
      producers,
      partitions: Number(values.partitions),
      records: total,
      avgValueBytes: avgValue,
      produce: {
        recordsPerSec: Math.round(total / produceSeconds),
        mbPerSec: +(totalMB / produceSeconds).toFixed(1),
        fsyncs: stats.fsyncs,
        appendRounds: stats.appendRounds,
      },
      consume: {
        recordsPerSec: Math.round(total / consumeSeconds),
        mbPerSec: +(totalMB / consumeSeconds).toFixed(1),
      },
    },
    null,
    1,
  ),
);
