/**
 * OpenSearch stopped for 30 s in the middle of a run: the indexer keeps failing its batch (without
 * committing, without dead-lettering, without exiting) while events keep arriving through the gateway
 * and the processor; once OpenSearch is back it catches up, and every event is indexed exactly once.
 * The node taken down is a private one (deploy/local with its own ports and state directory); Kafka,
 * PostgreSQL and S3 are the shared engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { expectIndexedOnce, expectNoDeadLetters } from './harness/expectations.ts';
import { sendEvents } from './harness/ingest.ts';
import { type Pipeline, startPipeline } from './harness/pipeline.ts';
import { type PrivateOpenSearch, privateOpenSearch } from './harness/privateOpenSearch.ts';
import type { SluiceProcess } from './harness/sluiceProcess.ts';
import { countDocs } from './harness/stores.ts';
import { eventually } from './harness/verify.ts';
import { makeWorkload, PIPELINE_EVENTS, type SentEvent, TENANTS } from './harness/workload.ts';

const OUTAGE_MS = 30_000;

describe(`pipeline: OpenSearch down for ${OUTAGE_MS / 1000} s during ${PIPELINE_EVENTS} events`, () => {
  let isolation: Isolation;
  let opensearch: PrivateOpenSearch | undefined;
  let pipeline: Pipeline | undefined;
  let events: SentEvent[];
  let indexedBeforeOutage = 0;
  let failuresDuringOutage = 0;
  let lagDuringOutage = 0;
  let indexer: SluiceProcess;

  before(async () => {
    await requireEngines('kafka', 'postgres', 's3');
    isolation = isolate('pipeline-os-outage', ['kafka', 'postgres', 's3']);
    const os = await privateOpenSearch();
    opensearch = os;
    // The node starts while the gateway and processor do; the indexer needs it (index template) at start.
    const [started, starting] = await Promise.allSettled([
      os.start(),
      startPipeline({ isolation, tenants: TENANTS, workers: ['processor'], opensearchNodes: [os.url] }),
    ]);
    if (starting.status === 'fulfilled') pipeline = starting.value;
    if (started.status === 'rejected') throw started.reason;
    if (starting.status === 'rejected') throw starting.reason;
    const p = starting.value;
    indexer = await p.restart('indexer');
    events = makeWorkload(PIPELINE_EVENTS, TENANTS, 3);
    let stoppedAt: number | undefined;
    await sendEvents(p.gateway.url, p.keys, events, {
      afterRound: async (sent) => {
        if (stoppedAt !== undefined || sent < events.length / 3) return;
        // Down once the indexer has written part of the run; the other two thirds arrive during the outage.
        await eventually('nothing was indexed before the outage', async () => {
          indexedBeforeOutage = await countDocs(os.url, isolation.indexPrefix);
          return indexedBeforeOutage > 0 ? [] : ['no documents yet'];
        });
        await os.stop();
        stoppedAt = Date.now();
      },
    });
    // The indexer hits the outage: its batch fails and is retried, and records wait on the bus.
    await eventually(
      'the indexer never noticed the outage',
      async () => {
        failuresDuringOutage = await indexer.metric('sluice_indexer_batch_failures_total');
        lagDuringOutage = await indexer.metric('sluice_indexer_consumer_lag');
        return failuresDuringOutage > 0 && lagDuringOutage > 0 ? [] : ['no failed batch and lag yet'];
      },
      { timeoutMs: 2 * OUTAGE_MS, intervalMs: 500, context: () => p.logs() },
    );
    const left = (stoppedAt as number) + OUTAGE_MS - Date.now();
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    await os.start();
  });

  after(async () => {
    await pipeline?.stop();
    await opensearch?.destroy();
    await isolation?.cleanup();
  });

  it('paused the indexer during the outage: batches failed and were retried, records waited on the bus, the process stayed up', () => {
    assert.ok(
      indexedBeforeOutage > 0 && indexedBeforeOutage < events.length,
      `${indexedBeforeOutage} indexed before`,
    );
    assert.ok(failuresDuringOutage > 0, 'failed batches counted');
    assert.ok(lagDuringOutage > 0, 'consumer lag while OpenSearch was down');
    assert.equal(indexer.exitCode(), undefined, 'the indexer process is still running');
  });

  it('catches up once OpenSearch is back: every event indexed exactly once, nothing lost', async () => {
    await expectIndexedOnce(
      isolation,
      events,
      () => pipeline?.logs() ?? '',
      (opensearch as PrivateOpenSearch).url,
    );
    assert.equal(indexer.exitCode(), undefined, 'the same indexer process did the catching up');
  });

  it('dead-letters nothing: an unavailable store is not a bad document', async () => {
    await expectNoDeadLetters(isolation);
  });
});
