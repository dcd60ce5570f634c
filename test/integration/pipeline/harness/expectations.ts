/**
 * What every pipeline test expects of the stores once the events are through, checked against the
 * real engines until it holds (or `eventually` gives up with the differences and the processes' logs).
 */
import assert from 'node:assert/strict';
import { engineSettings, type Isolation } from '../../../helpers/engines.ts';
import { allDocs, countDocs, endOffsets, metricRows } from './stores.ts';
import { checkMetrics, checkSearch, eventually } from './verify.ts';
import { expectedMetrics, type SentEvent } from './workload.ts';

/** OpenSearch (the shared one, or the node at `url`) holds every event exactly once, as sent. */
export async function expectIndexedOnce(
  isolation: Isolation,
  events: readonly SentEvent[],
  logs: () => string,
  url = engineSettings().opensearchUrl,
): Promise<void> {
  await eventually(
    'OpenSearch does not hold every event exactly once',
    async () => {
      const count = await countDocs(url, isolation.indexPrefix);
      if (count < events.length) return [`${count} of ${events.length} documents indexed`];
      return checkSearch(await allDocs(url, isolation.indexPrefix), events);
    },
    { context: logs },
  );
}

/**
 * The metric store's points equal the counts and windows computed from the events by brute force
 * (`configured`: with the windows of WINDOWS, else the built-in metrics only).
 */
export async function expectMetricsCounted(
  isolation: Isolation,
  events: readonly SentEvent[],
  logs: () => string,
  configured = true,
): Promise<void> {
  const expected = expectedMetrics(events, configured);
  const sql = await isolation.sql();
  await eventually(
    'the metric store does not match the counts',
    async () => checkMetrics(await metricRows(sql), expected),
    { context: logs },
  );
}

/** Nothing was routed to logs.dlq. */
export async function expectNoDeadLetters(isolation: Isolation): Promise<void> {
  const ends = await endOffsets(isolation.kafka(), `${isolation.topicPrefix}logs.dlq`);
  assert.deepEqual(
    [...ends.values()].filter((end) => end > 0n),
    [],
  );
}
