/**
 * Two archivers in one consumer group on the shared Kafka and S3Proxy (issue 11, "the archive must not
 * keep two rows for one event id whatever is replayed"). A partition moves from one archiver to the
 * other and back while both hold buffers and write files: the one that lost it must not write what it
 * buffered, and the one that gets it must not write again what the other already archived. Events are
 * three hours old, so their hour is over and each archiver writes them on its flush tick.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { type ServerConfig, serverConfigSchema } from '../../../backend/config/schema.ts';
import { sourceHeaders } from '../../../backend/processor/sourcePosition.ts';
import { quietKnownWarnings } from '../../../backend/server/quietWarnings.ts';
import { type RunningServer, startServer } from '../../../backend/server/server.ts';
import { openS3Archive } from '../../../backend/sinks/archive/openArchive.ts';
import { testEvent } from '../../../backend/sinks/archive/testing/events.ts';
import { loadConfig } from '../../../core/config/parseConfig.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { engineSettings, type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { PARTITIONS, pipelineConfig } from '../pipeline/harness/pipeline.ts';

quietKnownWarnings();

const HOUR = 3_600_000;
const PER_WAVE = 100; // events per partition per wave

describe('two archivers, a partition moving between them', () => {
  let isolation: Isolation;
  let dir: string;
  let config: ServerConfig;
  const running: RunningServer[] = [];
  const hour = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
  const sent: string[] = [];
  let nextSource = 0;

  const archive = () => {
    const s3 = engineSettings().s3;
    return openS3Archive({ ...s3, bucket: isolation.bucket, forcePathStyle: true });
  };

  async function archiveIds(): Promise<string[]> {
    const a = archive();
    const files = await a.list({ from: hour, to: hour + HOUR });
    return (await Promise.all(files.map((f) => a.read(f)))).flat().map((e) => e.id);
  }

  /** One wave: PER_WAVE events on each partition, with the source position the processor would give them. */
  async function wave(): Promise<void> {
    const producer = isolation.kafka().producer();
    await producer.connect();
    try {
      const first = nextSource;
      nextSource += PER_WAVE;
      const messages = Array.from({ length: PARTITIONS }, (_, partition) =>
        Array.from({ length: PER_WAVE }, (_, i) => {
          const event = testEvent(hour + 60_000 + first + i, { service: `archiver-rebalance-${partition}` });
          sent.push(event.id);
          return {
            partition,
            key: event.service,
            value: JSON.stringify(event),
            headers: sourceHeaders(partition, BigInt(first + i)),
          };
        }),
      ).flat();
      await producer.send({ topic: `${isolation.topicPrefix}logs.enriched`, acks: -1, messages });
    } finally {
      await producer.disconnect();
    }
  }

  async function startArchiver(): Promise<RunningServer> {
    const server = await startServer(config, silentLogger);
    running.push(server);
    return server;
  }

  /** True once the archiver's group has given it partitions (its lag gauge names them). */
  const owns = async (server: RunningServer) =>
    /sluice_archiver_consumer_lag\{partition="\d+"\}/.test(await server.context.registry.render());

  async function stop(server: RunningServer): Promise<void> {
    running.splice(running.indexOf(server), 1);
    await server.stop();
  }

  async function allArchived(what: string): Promise<void> {
    await waitFor(what, async () => new Set(await archiveIds()).size >= sent.length, {
      timeoutMs: 90_000,
      intervalMs: 1000,
    });
  }

  before(async () => {
    await requireEngines('kafka', 's3');
    isolation = isolate('archiver-rebalance', ['kafka', 's3']);
    await isolation.s3().createBucket(isolation.bucket);
    const admin = isolation.kafka().admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: `${isolation.topicPrefix}logs.enriched`, numPartitions: PARTITIONS, replicationFactor: 1 },
      ],
    });
    await admin.disconnect();
    dir = await mkdtemp(join(tmpdir(), 'sluice-archiver-rebalance-'));
    const file = join(dir, 'sluice.yaml');
    // The pipeline tests' config (only the archive of its stores is opened), with the archiver alone.
    await writeFile(
      file,
      stringify({ ...pipelineConfig({ isolation, tenants: [] }, new Map()), roles: ['archiver'] }),
    );
    config = await loadConfig(file, serverConfigSchema, { env: {} });
  });

  after(async () => {
    for (const server of running.splice(0)) await server.stop().catch(() => undefined);
    await isolation?.cleanup();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('keeps one row per event id through two rebalances', async () => {
    const first = await startArchiver();
    await wave();
    await waitFor('the first archiver to own partitions', () => owns(first), { timeoutMs: 60_000 });
    // The second joins: a partition moves to it while the first may still buffer it.
    const second = await startArchiver();
    await waitFor('the second archiver to own a partition', () => owns(second), { timeoutMs: 60_000 });
    await wave();
    await allArchived('both waves in the archive');
    // The second leaves (writing what it buffered): its partition goes back to the first, which listed
    // the hour before the second wrote its files.
    await stop(second);
    await wave();
    await allArchived('all three waves in the archive');
    await stop(first);
    const ids = await archiveIds();
    assert.equal(new Set(ids).size, sent.length, 'every event archived');
    assert.equal(ids.length, sent.length, 'no event archived twice');
  });
});
