/**
 * A burst followed by silence (issue 11, "Correctness first"). The processor must close the burst's
 * windows by processing time once every logs.raw partition is quiet, emit their points once and commit
 * every partition to its end; then a replay of everything (workers stopped, the processor's consumer
 * group reset to the start of logs.raw, workers started again) leaves every store exactly as it was:
 * each event once in OpenSearch and in the archive, the metric points as counted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_ENGINES, type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { expectIndexedOnce, expectMetricsCounted } from './harness/expectations.ts';
import { sendEvents } from './harness/ingest.ts';
import { PIPELINE_WORKERS, type Pipeline, startPipeline } from './harness/pipeline.ts';
import { archiveFiles, committedOffsets, endOffsets, readTopic, resetToEarliest } from './harness/stores.ts';
import { checkArchive, checkArchiveAgainstTopic, eventually } from './harness/verify.ts';
import { makeWorkload, type SentEvent, TENANTS } from './harness/workload.ts';

const EVENTS = Number(process.env.SLUICE_IDLE_EVENTS ?? 6000);

describe(`pipeline: a burst of ${EVENTS} events, then silence, then a full replay`, () => {
  let isolation: Isolation;
  let pipeline: Pipeline | undefined;
  let events: SentEvent[];
  const logs = () => pipeline?.logs() ?? '';

  /** Polls until the processor's group has committed every logs.raw partition up to its end. */
  async function processorCaughtUp(): Promise<void> {
    const raw = `${isolation.topicPrefix}logs.raw`;
    await eventually(
      'the processor does not commit logs.raw to its end',
      async () => {
        const ends = await endOffsets(isolation.kafka(), raw);
        const committed = await committedOffsets(
          isolation.kafka(),
          `${isolation.topicPrefix}sluice-processor`,
          raw,
        );
        return [...ends]
          .filter(([p, end]) => end > 0n && committed.get(p) !== end)
          .map(([p, end]) => `partition ${p}: committed ${committed.get(p) ?? 'nothing'} of ${end}`);
      },
      { context: logs, timeoutMs: 240_000 },
    );
  }

  async function expectEveryStoreExact(): Promise<void> {
    await expectIndexedOnce(isolation, events, logs);
    const cache = new Map();
    await eventually(
      'the archive does not hold every event exactly once',
      async () => checkArchive(await archiveFiles(isolation.s3(), isolation.bucket, cache), events),
      { context: logs },
    );
    await expectMetricsCounted(isolation, events, logs, false);
  }

  before(async () => {
    await requireEngines(...ALL_ENGINES);
    isolation = isolate('pipeline-idle');
    // Built-in metrics only, 30 s of lateness (the workload is never more than 20 s out of order), and
    // no "clock" events: only processing time can close the last windows.
    pipeline = await startPipeline({
      isolation,
      tenants: TENANTS,
      processing: { builtin_metrics: { allowed_lateness: '30s' } },
    });
    events = makeWorkload(EVENTS, TENANTS).filter((e) => e.message !== 'clock');
    await sendEvents(pipeline.gateway.url, pipeline.keys, events);
  });

  after(async () => {
    await pipeline?.stop();
    await isolation?.cleanup();
  });

  it('commits every logs.raw partition to its end once the partitions are quiet', async () => {
    await processorCaughtUp();
  });

  it('holds each event once in every store, metric points as counted', async () => {
    await expectEveryStoreExact();
  });

  it('after the workers restart and the processor replays all of logs.raw, every store is unchanged', async (t) => {
    const p = pipeline as Pipeline;
    for (const role of PIPELINE_WORKERS) await p.workers.get(role)?.stop();
    await resetToEarliest(
      isolation.kafka(),
      `${isolation.topicPrefix}sluice-processor`,
      `${isolation.topicPrefix}logs.raw`,
    );
    for (const role of PIPELINE_WORKERS) await p.restart(role);
    const enrichedTopic = `${isolation.topicPrefix}logs.enriched`;
    await eventually(
      'the processor did not replay logs.raw',
      async () => {
        const ends = await endOffsets(isolation.kafka(), enrichedTopic);
        const total = [...ends.values()].reduce((a, b) => a + b, 0n);
        return total >= BigInt(2 * events.length) ? [] : [`logs.enriched holds ${total} records`];
      },
      { context: logs, timeoutMs: 240_000 },
    );
    await processorCaughtUp();
    await expectEveryStoreExact();
    const enriched = await readTopic(isolation.kafka(), enrichedTopic, `${isolation.groupPrefix}check`);
    assert.equal(enriched.length, 2 * events.length, 'every event went through the processor twice');
    const cache = new Map();
    await eventually(
      'the archive does not hold each logs.enriched position exactly once',
      async () =>
        checkArchiveAgainstTopic(await archiveFiles(isolation.s3(), isolation.bucket, cache), enriched),
      { context: logs },
    );
    t.diagnostic(
      `logs.enriched holds ${enriched.length} records for ${events.length} events; the archive ${events.length} rows`,
    );
  });
});
