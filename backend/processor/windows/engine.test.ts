import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../core/event/types.ts';
import { createWindowEngine } from './engine.ts';
import { assertSamePoints } from './testing/assertPoints.ts';
import { randomStream } from './testing/randomStream.ts';
import { pointKey, referencePoints } from './testing/reference.ts';
import { runEngine } from './testing/runEngine.ts';
import type { AggregateSpec, WindowEngineOptions } from './types.ts';

const isWarnOrWorse = (event: LogEvent) =>
  event.level === 'warn' || event.level === 'error' || event.level === 'fatal';
const MINUTE = 60_000;

const TUMBLING: AggregateSpec[] = [
  { name: 'warn_count', kind: 'tumbling', sizeMs: 30_000, aggregate: 'count', where: isWarnOrWorse },
  { name: 'top_codes', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'count_by', by: 'attrs.code', top: 3 },
  { name: 'latency_p50', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'p50', field: 'latency_ms' },
  { name: 'latency_p95', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'p95', field: 'latency_ms' },
  { name: 'latency_p99', kind: 'tumbling', sizeMs: 2 * MINUTE, aggregate: 'p99', field: 'attrs.latency_ms' },
  { name: 'latency_avg', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'avg', field: 'latency_ms' },
  { name: 'latency_sum', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'sum', field: 'latency_ms' },
  { name: 'latency_min', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'min', field: 'latency_ms' },
  { name: 'latency_max', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'max', field: 'latency_ms' },
];
const HOPPING: AggregateSpec[] = [
  { name: 'count_5m', kind: 'hopping', sizeMs: 5 * MINUTE, hopMs: MINUTE, aggregate: 'count' },
  {
    name: 'p95_5m',
    kind: 'hopping',
    sizeMs: 5 * MINUTE,
    hopMs: MINUTE,
    aggregate: 'p95',
    field: 'latency_ms',
  },
  {
    name: 'codes_3m',
    kind: 'hopping',
    sizeMs: 3 * MINUTE,
    hopMs: 45_000,
    aggregate: 'count_by',
    by: 'code',
    top: 2,
  },
  // A hop that does not divide the size: windows overlap unevenly.
  {
    name: 'max_100s',
    kind: 'hopping',
    sizeMs: 100_000,
    hopMs: 30_000,
    aggregate: 'max',
    field: 'latency_ms',
  },
];
const SLIDING: AggregateSpec[] = [
  { name: 'count_2m', kind: 'sliding', sizeMs: 2 * MINUTE, aggregate: 'count', allowedLatenessMs: 5_000 },
  { name: 'avg_90s', kind: 'sliding', sizeMs: 90_000, hopMs: 15_000, aggregate: 'avg', field: 'latency_ms' },
];

const SHAPE = {
  count: 2500,
  outOfOrder: 0.25,
  jitterMs: 25_000,
  late: 0.06,
  lateByMs: 200_000,
  future: 0.01,
  invalid: 0.005,
};
const LATENESS = [
  { allowedLatenessMs: 0, lateUpdatesMs: 0 },
  { allowedLatenessMs: 10_000, lateUpdatesMs: 0 },
  { allowedLatenessMs: 30_000, lateUpdatesMs: 45_000 },
];

function checkAgainstReference(aggregates: AggregateSpec[], seeds: number[]): void {
  for (const seed of seeds) {
    for (const lateness of LATENESS) {
      const records = randomStream(seed, SHAPE);
      const options: WindowEngineOptions = { partition: 3, aggregates, ...lateness };
      const expected = referencePoints(records, options);
      const { store } = runEngine(records, options, { seed, maxBatch: 80 });
      assertSamePoints(store, expected, `seed ${seed}, lateness ${JSON.stringify(lateness)}`);
    }
  }
}

describe('window engine against a brute-force computation', () => {
  it('computes tumbling windows on random, out-of-order and late event times', () => {
    checkAgainstReference(TUMBLING, [1, 2, 3]);
  });

  it('computes hopping windows, each event in every window that holds it', () => {
    checkAgainstReference(HOPPING, [4, 5, 6]);
  });

  it('computes sliding windows as hopping ones (a tenth of the size by default)', () => {
    checkAgainstReference(SLIDING, [7, 8]);
  });

  it('gives the same final values whether the partition is drained often or rarely', () => {
    const records = randomStream(11, SHAPE);
    const options: WindowEngineOptions = {
      partition: 0,
      aggregates: [...TUMBLING, ...HOPPING],
      allowedLatenessMs: 15_000,
    };
    const expected = referencePoints(records, options);
    assertSamePoints(runEngine(records, options, { seed: 1, maxBatch: 1 }).store, expected, 'every record');
    assertSamePoints(
      runEngine(records, options, { seed: 2, maxBatch: 2000 }).store,
      expected,
      'large batches',
    );
  });
});

function event(ts: string, overrides: Partial<LogEvent> = {}): LogEvent {
  return {
    id: ts,
    ts,
    observed_ts: ts,
    level: 'info',
    service: 'checkout',
    tenant: 'acme',
    message: 'ok',
    attrs: {},
    ...overrides,
  };
}

function valuesOf(
  points: ReturnType<ReturnType<typeof createWindowEngine>['drain']>,
): Record<string, number> {
  return Object.fromEntries(points.map((point) => [pointKey(point), point.value]));
}

const BASE = { tenant: 'acme', service: 'checkout', partition: '0' };
const key = (name: string, bucket: string, extra: Record<string, string> = {}) =>
  pointKey({ name, labels: { ...BASE, ...extra }, bucket: Date.parse(bucket), value: 0 });

describe('window engine', () => {
  it('fires a window once the watermark (max event time - allowed lateness) passes its end', () => {
    const engine = createWindowEngine({ partition: 0, allowedLatenessMs: 30_000 });
    engine.add(event('2026-11-23T10:00:10Z', { level: 'error' }), 0n);
    engine.add(event('2026-11-23T10:00:50Z'), 1n);
    engine.add(event('2026-11-23T10:01:29.999Z'), 2n);
    assert.deepEqual(engine.drain(), [], 'watermark 10:00:59.999 is before the end 10:01:00');
    engine.add(event('2026-11-23T10:01:30Z'), 3n);
    assert.deepEqual(valuesOf(engine.drain()), {
      [key('log_count', '2026-11-23T10:00:00Z')]: 2,
      [key('error_count', '2026-11-23T10:00:00Z')]: 1,
      [key('error_rate', '2026-11-23T10:00:00Z')]: 0.5,
    });
  });

  it('counts events that arrive after their window closed in late_events instead of losing them silently', () => {
    const engine = createWindowEngine({ partition: 0, allowedLatenessMs: 30_000 });
    engine.add(event('2026-11-23T10:00:30Z'), 0n);
    engine.add(event('2026-11-23T10:02:10Z'), 1n); // closes 10:00 (end 10:01 + 30s ≤ 10:02:10)
    engine.add(event('2026-11-23T10:00:45Z'), 2n); // too late for 10:00
    engine.add(event('2026-11-23T10:01:45Z'), 3n); // 10:01 is still open until 10:02:30
    engine.add(event('2026-11-23T10:03:31Z'), 4n);
    const values = valuesOf(engine.drain());
    assert.equal(values[key('log_count', '2026-11-23T10:00:00Z')], 1);
    assert.equal(values[key('log_count', '2026-11-23T10:01:00Z')], 1);
    // Bucketed by the partition's clock when it arrived (10:02:10), so the bucket is final at 10:03.
    assert.equal(values[key('late_events', '2026-11-23T10:02:00Z', { aggregate: 'builtin' })], 1);
    assert.equal(engine.stats().lateEvents, 1);
  });

  it('applies late events within late_updates to the window already published and re-emits it', () => {
    const engine = createWindowEngine({ partition: 0, allowedLatenessMs: 0, lateUpdatesMs: 60_000 });
    engine.add(event('2026-11-23T10:00:30Z'), 0n);
    engine.add(event('2026-11-23T10:01:10Z'), 1n);
    assert.equal(valuesOf(engine.drain())[key('log_count', '2026-11-23T10:00:00Z')], 1, 'on-time firing');
    engine.add(event('2026-11-23T10:00:40Z'), 2n);
    assert.equal(valuesOf(engine.drain())[key('log_count', '2026-11-23T10:00:00Z')], 2, 'late update');
    engine.add(event('2026-11-23T10:02:00Z'), 3n); // 10:00 is final now
    engine.add(event('2026-11-23T10:00:50Z'), 4n);
    const values = valuesOf(engine.drain());
    assert.equal(values[key('log_count', '2026-11-23T10:00:00Z')], undefined, 'unchanged, not re-sent');
    assert.equal(engine.stats().lateEvents, 1);
  });

  it('windows an event stamped far past its observed time at observed time + max_future', () => {
    const engine = createWindowEngine({ partition: 0, allowedLatenessMs: 0, maxFutureMs: 60_000 });
    engine.add(event('2026-11-23T10:00:00Z'), 0n);
    engine.add(event('2026-11-23T15:00:00Z', { observed_ts: '2026-11-23T10:00:05Z' }), 1n);
    assert.equal(engine.stats().clock, Date.parse('2026-11-23T10:01:05Z'));
    engine.add(event('2026-11-23T10:01:30Z'), 2n);
    assert.equal(engine.stats().lateEvents, 0, 'the clock did not jump five hours');
    assert.equal(engine.stats().clampedEvents, 1);
  });

  it('counts unreadable timestamps and keeps them out of every window', () => {
    const engine = createWindowEngine({ partition: 0, allowedLatenessMs: 0 });
    engine.add(event('yesterday-ish'), 0n);
    assert.deepEqual(engine.stats(), {
      lateEvents: 0,
      invalidEvents: 1,
      clampedEvents: 0,
      openWindows: 0,
      clock: -Infinity,
    });
  });

  it('holds the committable offset before the first record of the oldest open window', () => {
    const engine = createWindowEngine({ partition: 0, allowedLatenessMs: 0 });
    assert.equal(engine.committableOffset(), null);
    engine.add(event('2026-11-23T10:00:10Z'), 100n);
    engine.add(event('2026-11-23T10:00:20Z'), 101n);
    assert.equal(engine.committableOffset(), 99n);
    engine.add(event('2026-11-23T10:01:10Z'), 102n);
    assert.equal(engine.committableOffset(), 99n, 'the 10:00 window is due but not yet drained');
    assert.equal(engine.checkpoint().emittedThrough, -Infinity, 'nothing emitted yet');
    engine.drain();
    assert.deepEqual(engine.checkpoint(), {
      offset: 101n,
      clock: Date.parse('2026-11-23T10:00:20Z'),
      emittedThrough: Date.parse('2026-11-23T10:01:10Z'),
    });
  });

  it('labels count_by points with the field and sums the values outside the top N as __other__', () => {
    const engine = createWindowEngine({
      partition: 0,
      allowedLatenessMs: 0,
      builtinMetrics: false,
      aggregates: [
        { name: 'codes', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'count_by', by: 'http.status', top: 1 },
      ],
    });
    const statuses = [500, 500, 504, 500, 404];
    statuses.forEach((status, i) => {
      engine.add(event(`2026-11-23T10:00:0${i}Z`, { attrs: { 'http.status': status } }), BigInt(i));
    });
    engine.add(event('2026-11-23T10:01:00Z'), 9n);
    assert.deepEqual(valuesOf(engine.drain()), {
      [key('codes', '2026-11-23T10:00:00Z', { 'http.status': '500' })]: 3,
      [key('codes', '2026-11-23T10:00:00Z', { 'http.status': '__other__' })]: 2,
    });
  });

  it('rejects aggregates it cannot compute, naming the aggregate and the fix', () => {
    const make = (spec: Partial<AggregateSpec>) => () =>
      createWindowEngine({
        partition: 0,
        allowedLatenessMs: 0,
        aggregates: [{ name: 'x', kind: 'tumbling', sizeMs: MINUTE, aggregate: 'count', ...spec }],
      });
    assert.throws(make({ aggregate: 'p95' }), /aggregate "x": p95 needs `field`/);
    assert.throws(make({ aggregate: 'count_by' }), /count_by needs `by`/);
    assert.throws(make({ name: 'log_count' }), /taken by a built-in metric/);
    assert.throws(make({ kind: 'hopping' }), /hopping windows need a hop/);
    assert.throws(
      make({ kind: 'hopping', hopMs: 1000, sizeMs: 3_600_000 }),
      /size\/hop is 3600: each event would update that many windows/,
    );
  });
});
