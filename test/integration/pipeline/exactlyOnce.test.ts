/**
 * The whole write path on the real engines: events posted to the gateway go through Kafka, the
 * processor and the three sinks, each role in its own process. Afterwards OpenSearch holds each event
 * once, the archive (read with hyparquet) holds each event once, and the metric points in PostgreSQL equal
 * the counts and windowed aggregates computed here from the events by brute force.
 * PIPELINE_EVENTS events (20,000 in CI; SLUICE_PIPELINE_EVENTS=100000 for the full size).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ALL_ENGINES,
  engineSettings,
  type Isolation,
  isolate,
  requireEngines,
} from '../../helpers/engines.ts';
import { sendEvents } from './harness/ingest.ts';
import { type Pipeline, startPipeline } from './harness/pipeline.ts';
import { allDocs, archiveFiles, countDocs, endOffsets, metricRows } from './harness/stores.ts';
import { checkArchive, checkMetrics, checkSearch, eventually } from './harness/verify.ts';
import {
  expectedMetrics,
  makeWorkload,
  PIPELINE_EVENTS,
  type SentEvent,
  TENANTS,
  WINDOWS,
} from './harness/workload.ts';

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
    const url = engineSettings().opensearchUrl;
    await eventually(
      'OpenSearch does not hold every event exactly once',
      async () => {
        const count = await countDocs(url, isolation.indexPrefix);
        if (count < events.length) return [`${count} of ${events.length} documents indexed`];
        return checkSearch(await allDocs(url, isolation.indexPrefix), events);
      },
      { context: logs },
    );
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
    const expected = expectedMetrics(events);
    const sql = await isolation.sql();
    await eventually(
      'the metric store does not match the counts',
      async () => checkMetrics(await metricRows(sql), expected),
      {
        context: logs,
      },
    );
  });

  it('sends nothing to the dead-letter topic', async () => {
    const ends = await endOffsets(isolation.kafka(), `${isolation.topicPrefix}logs.dlq`);
    assert.deepEqual(
      [...ends.values()].filter((end) => end > 0n),
      [],
    );
  });
});
