/**
 * Crash safety of every worker role: while PIPELINE_EVENTS events flow, the processor, the indexer, the
 * archiver and the metrics writer are each killed with SIGKILL once, at a different point of the run,
 * after it processed records and while more keep coming, and started again. The end state is the one a run without crashes has:
 * each event once in OpenSearch, metric points equal to the brute-force counts (no window counted twice
 * or lost), every event exactly once in the archive.
 *
 * A killed processor replays from its held-back commit: records it had produced before its last commit
 * are fed to the windows but not produced again, and the batch in flight when it died is produced a
 * second time under new logs.enriched offsets. The archive still holds each event once: the archiver
 * names files by each record's logs.raw position and skips positions it already holds (docs/archive.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_ENGINES, type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { expectIndexedOnce, expectMetricsCounted, expectNoDeadLetters } from './harness/expectations.ts';
import { sendEvents } from './harness/ingest.ts';
import { type Pipeline, startPipeline, type WorkerRole } from './harness/pipeline.ts';
import type { SluiceProcess } from './harness/sluiceProcess.ts';
import { archiveFiles, readTopic } from './harness/stores.ts';
import { checkArchive, checkArchiveAgainstTopic, eventually } from './harness/verify.ts';
import { makeWorkload, PIPELINE_EVENTS, type SentEvent, TENANTS, WINDOWS } from './harness/workload.ts';

/**
 * Which role dies when: once this fraction of the events was sent (and it processed some). The consumers
 * of logs.enriched and logs.metrics go first, while the processor upstream feeds them; the processor last,
 * as its replacement's 30 s wait for the dead member's session would otherwise starve the others.
 */
const KILLS: Array<{ role: WorkerRole; afterFraction: number }> = [
  { role: 'indexer', afterFraction: 0.25 },
  { role: 'archiver', afterFraction: 0.4 },
  { role: 'metrics', afterFraction: 0.55 },
  { role: 'processor', afterFraction: 0.7 },
];

/**
 * Waits until the role has processed records (so the kill lands mid-run, not before it began). The
 * archiver is also given a few seconds to hold events in its buffers, not yet in any file, so they must
 * come back by replay; it usually does at once (it writes files every 10 s), but an archiver that is
 * idle at that moment is killed anyway rather than waiting on records the paused sender would send.
 */
async function waitUntilBusy(proc: SluiceProcess, role: WorkerRole): Promise<string> {
  const processed = () => proc.metric(`sluice_${role}_records_in_total`).then((n) => n > 0);
  await waitFor(`${proc.name} to process records`, processed, {
    timeoutMs: 120_000,
    intervalMs: 100,
    retryOnError: true,
    context: () => proc.logTail(),
  });
  if (role !== 'archiver') return '';
  await waitFor(
    "events in the archiver's buffers",
    () => proc.metric('sluice_archiver_buffered_events').then((n) => n > 0),
    {
      timeoutMs: 5000,
      intervalMs: 100,
      retryOnError: true,
    },
  ).catch(() => undefined); // an idle archiver is killed anyway (above)
  return `archiver killed with ${await proc.metric('sluice_archiver_buffered_events')} events buffered`;
}

describe(`pipeline: kill -9 of each worker role during ${PIPELINE_EVENTS} events`, () => {
  let isolation: Isolation;
  let pipeline: Pipeline | undefined;
  let events: SentEvent[];
  const killed: SluiceProcess[] = [];
  const restarted = new Map<WorkerRole, SluiceProcess>();
  const notes: string[] = [];

  before(async () => {
    await requireEngines(...ALL_ENGINES);
    isolation = isolate('pipeline-kill');
    const p = await startPipeline({ isolation, tenants: TENANTS, processing: { windows: WINDOWS } });
    pipeline = p;
    events = makeWorkload(PIPELINE_EVENTS, TENANTS, 2);
    const pending = [...KILLS];
    const restarts: Array<Promise<void>> = [];
    await sendEvents(p.gateway.url, p.keys, events, {
      // Spread the sending over several seconds so every role is killed while records keep arriving.
      pauseMs: 150,
      afterRound: async (sent) => {
        while (pending.length > 0 && sent >= pending[0].afterFraction * events.length) {
          const { role } = pending.shift() as (typeof KILLS)[number];
          const victim = p.workers.get(role) as SluiceProcess;
          const note = await waitUntilBusy(victim, role);
          if (note !== '') notes.push(note);
          await victim.kill9();
          killed.push(victim);
          // The replacement joins the consumer group once the dead member's session (30 s) expires;
          // meanwhile the sending and the other kills go on.
          const restart = p.restart(role).then((proc) => void restarted.set(role, proc));
          restart.catch(() => undefined); // awaited (and reported) after the sending
          restarts.push(restart);
        }
      },
    });
    await Promise.all(restarts);
  });

  after(async () => {
    await pipeline?.stop();
    await isolation?.cleanup();
  });

  const logs = () => pipeline?.logs() ?? '';

  it('killed each worker role with SIGKILL mid-run, and each replacement took over the work', async (t) => {
    for (const note of notes) t.diagnostic(note);
    assert.deepEqual(
      killed.map((p) => [p.name, p.exitCode()]),
      KILLS.map((k) => [k.role, 128]),
    );
    for (const [role, proc] of restarted) {
      await eventually(`the restarted ${role} processed nothing`, async () =>
        (await proc.metric(`sluice_${role}_records_in_total`)) > 0 ? [] : ['no records in yet'],
      );
    }
  });

  it('indexes every event exactly once in OpenSearch', async () => {
    await expectIndexedOnce(isolation, events, logs);
  });

  it('writes metric points equal to the brute-force counts: no window lost or counted twice', async () => {
    await expectMetricsCounted(isolation, events, logs);
  });

  it('archives every event exactly once, though the processor produced some twice', async (t) => {
    const cache = new Map();
    await eventually(
      'the archive does not hold every event exactly once',
      async () => checkArchive(await archiveFiles(isolation.s3(), isolation.bucket, cache), events),
      { context: logs },
    );
    const enriched = await readTopic(
      isolation.kafka(),
      `${isolation.topicPrefix}logs.enriched`,
      `${isolation.groupPrefix}check`,
    );
    await eventually(
      'the archive does not hold each logs.enriched position exactly once',
      async () =>
        checkArchiveAgainstTopic(await archiveFiles(isolation.s3(), isolation.bucket, cache), enriched),
      { context: logs },
    );
    const replayed = enriched.length - events.length;
    t.diagnostic(
      `logs.enriched holds ${enriched.length} records for ${events.length} events (${replayed} re-produced by the processor's replay)`,
    );
  });

  it('sends nothing to the dead-letter topic', async () => {
    await expectNoDeadLetters(isolation);
  });
});
