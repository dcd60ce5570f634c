/**
 * The whole write path on the real engines: events posted to the gateway go through Kafka, the
 * processor and the three sinks, each role in its own process. Afterwards OpenSearch holds each event
 * once, the archive (read with hyparquet) holds each event once, and the metric points in PostgreSQL equal
 * the counts and windowed aggregates computed here from the events by brute force.
 * PIPELINE_EVENTS events (20,000 in CI; SLUICE_PIPELINE_EVENTS=100000 for the full size).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_ENGINES, type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { expectIndexedOnce, expectMetricsCounted, expectNoDeadLetters } from './harness/expectations.ts';
import { sendEvents } from './harness/ingest.ts';
import { type Pipeline, startPipeline } from './harness/pipeline.ts';
import { archiveFiles } from './harness/stores.ts';
import { checkArchive, eventually } from './harness/verify.ts';
import { makeWorkload, PIPELINE_EVENTS, type SentEvent, TENANTS, WINDOWS } from './harness/workload.ts';

describe(`pipeline: ${PIPELINE_EVENTS} events from the gateway to OpenSearch, PostgreSQL and Parquet on S3`, () => {
  let isolation: Isolation;
  let pipeline: Pipeline | undefined;
  let events: SentEvent[];

  before(async () => {
    await requireEngines(...ALL_ENGINES);
    isolation = isolate('pipeline-once');
    pipeline = await startPipeline({ isolation, tenants: TENANTS, processing: { windows: WINDOWS } });
    events = makeWorkload(PIPELINE_EVENTS, TENANTS);
    await sendEvents(pipeline.gateway.url, pipeline.keys, events);
  });

  after(async () => {
    await pipeline?.stop();
    await isolation?.cleanup();
  });

  const logs = () => pipeline?.logs() ?? '';

  it('indexes every event exactly once in OpenSearch, as sent', async () => {
    await expectIndexedOnce(isolation, events, logs);
  });

  it('archives every event exactly once, in Parquet files an independent reader (hyparquet) reads', async () => {
    const cache = new Map();
    await eventually(
      'the archive does not hold every event exactly once',
      async () => checkArchive(await archiveFiles(isolation.s3(), isolation.bucket, cache), events),
      { context: logs },
    );
    const files = await archiveFiles(isolation.s3(), isolation.bucket, cache);
    const hours = new Set(files.map((f) => f.hour));
    assert.equal(hours.size, 2, 'the workload crosses an hour boundary: two hours of files');
  });

  it('writes log_count, error_count, error_rate and the tumbling, hopping and sliding windows exactly as counted here', async () => {
    await expectMetricsCounted(isolation, events, logs);
  });

  it('sends nothing to the dead-letter topic', async () => {
    await expectNoDeadLetters(isolation);
  });
});
