/**
 * Where the gateway's CPU goes, stage by stage, on the benchmark's own bodies: gunzip, NDJSON split +
 * JSON.parse, validation + normalization + serialization (ingestBatch onto a recording bus), then the
 * Kafka adapter alone against the real local broker (N concurrent 1,000-record produce() calls, acks=all),
 * with its events/s and CPU per event (process CPU: the zstd thread-pool work included).
 *
 *   node test/bench/gateway/stages.ts [--batches 200] [--seconds 10] [--concurrency 4]
 *                                     [--compression zstd|gzip|none] [--client kafkajs|platformatic]
 *                                     [--repo /path/to/another/checkout]   # measure its kafkaBus.ts
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { quietKnownWarnings } from '../../../backend/server/quietWarnings.ts';
import type { Bus, BusRecord } from '../../../core/ports/bus.ts';
import { engineSettings } from '../../helpers/engineSettings.ts';
import { makeBodies } from './bodies.ts';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    repo: { type: 'string', default: join(import.meta.dirname, '../../..') },
    'skip-kafka': { type: 'boolean', default: false },
    compression: { type: 'string', default: 'zstd' },
    client: { type: 'string', default: 'kafkajs' },
  },
});
quietKnownWarnings();
const repo = values.repo;
type Mod = Record<string, unknown>;
const load = async (path: string): Promise<Mod> => (await import(join(repo, path))) as Mod;

const { decodeNdjson } = (await load('gateway/protocols/ingest/decode.ts')) as {
  decodeNdjson: (raw: Buffer, maxRecords: number) => unknown[];
};
const parseNdjson = (raw: Buffer) => decodeNdjson(raw, 10_000);
const { ingestBatch } = (await load('gateway/ingest/ingestBatch.ts')) as {
  ingestBatch: (
    deps: unknown,
    principal: unknown,
    records: unknown[],
    protocol: string,
  ) => Promise<{ accepted: number }>;
};
const { createRateLimiter } = (await load('core/limits/rateLimiter.ts')) as {
  createRateLimiter: (o: { rate: number; burst: number }) => unknown;
};
const { createGatewayMetrics } = (await load('gateway/metrics.ts')) as {
  createGatewayMetrics: () => unknown;
};
const { createKeyRing } = (await load('core/auth/apiKeys.ts')) as {
  createKeyRing: (keys: unknown[], tenant: string) => { authenticate(key: string): unknown };
};
const openBus = (
  values.client === 'platformatic'
    ? (await load('backend/engines/bus/kafka/platformatic/platformaticBus.ts')).openPlatformaticBus
    : (await load('backend/engines/bus/kafka/kafkaBus.ts')).openKafkaBus
) as (o: unknown) => Promise<Bus>;
const { silentLogger } = (await load('core/log/logger.ts')) as { silentLogger: unknown };
// Only now: the adapter under test must be the first to load kafkajs (it may patch it as it loads).
const { kafkaAdmin, topicRecords } = await import('./kafka.ts');

const bodies = makeBodies(32, 1000);
const batches = Number(values.batches);

function cpuUs(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

/** CPU µs per event of `fn` over `batches` bodies (after a short warm-up). */
async function stage(name: string, fn: (i: number) => unknown | Promise<unknown>): Promise<void> {
  for (let i = 0; i < 20; i++) await fn(i);
  const c0 = cpuUs();
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) await fn(i);
  const cpu = cpuUs() - c0;
  const wall = (performance.now() - t0) * 1000;
  console.log(
    `${name.padEnd(44)} ${(cpu / (batches * 1000)).toFixed(2).padStart(6)} µs CPU/event  ${(wall / (batches * 1000)).toFixed(2).padStart(6)} µs wall/event`,
  );
}

console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; code from ${repo}`,
);
const raws = bodies.map((b) => gunzipSync(b.gzip));
const parsed = raws.map((r) => parseNdjson(r));
const captured: BusRecord[][] = [];
const recordingBus = {
  async produce(_topic: string, records: BusRecord[]) {
    if (captured.length < 32) captured.push(records);
  },
};
const deps = {
  bus: recordingBus,
  topic: 'logs.raw',
  limits: { maxRecords: 10_000, maxFields: 1000, maxDepth: 20, maxMessageBytes: 1 << 20 },
  rateLimiter: createRateLimiter({ rate: 0, burst: 0 }),
  metrics: createGatewayMetrics(),
};
const principal = createKeyRing([], 'default').authenticate('');

await stage('gunzip (sync)', (i) => gunzipSync(bodies[i % 32].gzip));
await stage('ndjsonLines + JSON.parse (decodeNdjson)', (i) => parseNdjson(raws[i % 32]));
await stage('shape + normalize + stringify (ingestBatch)', (i) =>
  ingestBatch(deps, principal, parsed[i % 32], 'native'),
);
const valueBytes = captured[0].reduce((s, r) => s + r.value.byteLength, 0) / captured[0].length;
console.log(`bus record value: ${valueBytes.toFixed(0)} B/event on average`);

if (!values['skip-kafka']) {
  const brokers = engineSettings().kafkaBrokers;
  const prefix = `bench.stages.${Date.now().toString(36)}${randomBytes(2).toString('hex')}.`;
  const topic = `${prefix}logs.raw`;
  const bus = await openBus({
    brokers,
    partitions: 3,
    replication: 1,
    compression: values.compression,
    log: silentLogger,
  });
  const admin = kafkaAdmin(brokers);
  await admin.connect();
  try {
    await bus.ensureTopics([topic]);
    const concurrency = Number(values.concurrency);
    const seconds = Number(values.seconds);
    let produced = 0;
    let n = 0;
    const run = async (ms: number) => {
      const stopAt = performance.now() + ms;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < stopAt) {
            const records = captured[n++ % captured.length];
            await bus.produce(topic, records);
            produced += records.length;
          }
        }),
      );
    };
    await run(2000);
    const before = produced;
    const c0 = cpuUs();
    const t0 = performance.now();
    await run(seconds * 1000);
    const events = produced - before;
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuUs() - c0;
    const stored = await topicRecords(admin, topic);
    console.log(
      `${values.client} produce, ${concurrency} × 1,000 records in flight ${(cpu / events).toFixed(2).padStart(6)} µs CPU/event  ${Math.round(events / wall).toLocaleString('en-US')} events/s, ${(cpu / 1e6 / wall).toFixed(2)} cores; topic holds ${stored} of ${produced} produced`,
    );
  } finally {
    await bus.close();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}
