import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../core/event/types.ts';
import type { MetricPoint } from '../../../core/ports/metricStore.ts';
import { createWindowEngine } from './engine.ts';
import { assertSamePoints } from './testing/assertPoints.ts';
import { randomStream, type StreamRecord } from './testing/randomStream.ts';
import { pointKey, referencePoints } from './testing/reference.ts';
import { runEngine } from './testing/runEngine.ts';
import type { AggregateSpec, WindowEngineOptions } from './types.ts';

const MINUTE = 60_000;
const AGGREGATES: AggregateSpec[] = [
  { name: 'top_codes', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'count_by', by: 'code', top: 2 },
  {
    name: 'latency_p95',
    kind: 'hopping',
    sizeMs: 3 * MINUTE,
    hopMs: MINUTE,
    aggregate: 'p95',
    field: 'latency_ms',
  },
  {
    name: 'latency_avg',
    kind: 'sliding',
    sizeMs: 2 * MINUTE,
    aggregate: 'avg',
    field: 'latency_ms',
    allowedLatenessMs: 0,
  },
  {
    name: 'errors_30s',
    kind: 'tumbling',
    sizeMs: 30_000,
    aggregate: 'count',
    where: (e) => e.level === 'error',
  },
];
const SHAPE = {
  count: 1500,
  outOfOrder: 0.3,
  jitterMs: 30_000,
  late: 0.08,
  lateByMs: 240_000,
  future: 0.01,
  invalid: 0.01,
};

describe('windows after a worker is killed and restarted', () => {
  it('end with the same final values as a crash-free run and the brute-force answer', () => {
    let crashes = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const options: WindowEngineOptions = {
        partition: 5,
        aggregates: AGGREGATES,
        allowedLatenessMs: (seed % 3) * 15_000,
        lateUpdatesMs: seed % 2 === 0 ? 40_000 : 0,
      };
      const records = randomStream(seed, SHAPE);
      const expected = referencePoints(records, options);
      const calm = runEngine(records, options, { seed, maxBatch: 60 });
      const killed = runEngine(records, options, {
        seed: seed * 7919,
        maxBatch: 60,
        crashes: 8,
      });
      assertSamePoints(calm.store, expected, `seed ${seed}, crash-free`);
      assertSamePoints(killed.store, expected, `seed ${seed}, ${killed.crashes} crashes`);
      assert.ok(killed.reads > records.length, 'records were read again after a crash');
      crashes += killed.crashes;
    }
    assert.ok(crashes >= 50, `the property was exercised (${crashes} crashes)`);
  });

  it('does not rewrite a window finished before the restart with the records after the commit', () => {
    // The 5-minute error window opened by offset 1 holds the commit at offset 0, so a restart re-reads
    // offset 1, whose 10:02 window was already final (2 events) and must not be re-sent with 1.
    const options = withErrorWindow({ allowedLatenessMs: 0 });
    const records = stream(
      ['2026-11-23T10:02:50Z', 'info'],
      ['2026-11-23T10:02:55Z', 'error'],
      ['2026-11-23T10:03:10Z', 'info'],
      ['2026-11-23T10:06:00Z', 'info'],
    );
    const { store, committed } = crashAfterCommit(options, records, 3);
    assert.equal(committed.offset, 0n);
    assert.equal(store.get('log_count{partition=0,service=checkout,tenant=acme}@1795428120000'), 2);
    assert.equal(store.get('errors_5m{partition=0,service=checkout,tenant=acme}@1795428000000'), 1);
  });

  it('restores the clock, so records that were late the first time are counted late again', () => {
    // Built-ins off: the 10:04:20 record sets the clock but is in no window that holds the commit, so
    // the replay starts after it; without the committed clock, offsets 1 and 2 would not look late.
    const options = withErrorWindow({
      allowedLatenessMs: 0,
      builtinMetrics: false,
      aggregates: [{ name: 'count_30s', kind: 'tumbling', sizeMs: 30_000, aggregate: 'count' }],
    });
    const records = stream(
      ['2026-11-23T10:04:20Z', 'info'],
      ['2026-11-23T10:03:00Z', 'error'],
      ['2026-11-23T10:03:40Z', 'info'],
      ['2026-11-23T10:04:35Z', 'info'],
      ['2026-11-23T10:05:30Z', 'info'],
    );
    const { store, committed } = crashAfterCommit(options, records, 4);
    assert.deepEqual(committed, {
      offset: 0n,
      clock: Date.parse(records[0].event.ts),
      emittedThrough: Date.parse(records[3].event.ts),
    });
    assert.equal(
      store.get('late_events{aggregate=count_30s,partition=0,service=checkout,tenant=acme}@1795428240000'),
      2,
    );
  });
});

function withErrorWindow(options: Omit<WindowEngineOptions, 'partition'>): WindowEngineOptions {
  const errors: AggregateSpec = {
    name: 'errors_5m',
    kind: 'tumbling',
    sizeMs: 5 * MINUTE,
    aggregate: 'count',
    where: (e) => e.level === 'error',
  };
  return { ...options, partition: 0, aggregates: [...(options.aggregates ?? []), errors] };
}

/** Processes records [0, crashAt) as one batch, commits, dies, and finishes from the commit. */
function crashAfterCommit(options: WindowEngineOptions, records: StreamRecord[], crashAt: number) {
  const store = new Map<string, number>();
  const upsert = (points: MetricPoint[]) => {
    for (const point of points) store.set(pointKey(point), point.value);
  };
  const first = createWindowEngine(options);
  for (const { event, offset } of records.slice(0, crashAt)) first.add(event, offset);
  upsert(first.drain());
  const committed = first.checkpoint();
  const second = createWindowEngine({ ...options, resume: committed });
  for (const { event, offset } of records.slice(Number(committed.offset ?? -1n) + 1))
    second.add(event, offset);
  upsert(second.drain());
  return { store, committed };
}

/** Records at offsets 0, 1, 2, … from [ts, level] pairs. */
function stream(...events: Array<[string, LogEvent['level']]>): StreamRecord[] {
  return events.map(([ts, level], i) => ({
    offset: BigInt(i),
    event: {
      id: ts,
      ts,
      observed_ts: ts,
      level,
      service: 'checkout',
      tenant: 'acme',
      message: 'm',
      attrs: {},
    },
  }));
}
