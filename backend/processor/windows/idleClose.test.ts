import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../core/event/types.ts';
import type { MetricPoint } from '../../../core/ports/metricStore.ts';
import { decodeCheckpointMetadata, encodeCheckpointMetadata } from './checkpoint.ts';
import { createWindowEngine } from './engine.ts';
import type { WindowEngineOptions } from './types.ts';

const SECOND = 1000;
const T0 = Date.parse('2026-11-23T10:00:00Z');
const OPTIONS: WindowEngineOptions = {
  partition: 0,
  builtinWindowMs: 10 * SECOND,
  allowedLatenessMs: 5 * SECOND,
};

function event(ms: number, level: LogEvent['level'] = 'info'): LogEvent {
  const ts = new Date(ms).toISOString();
  return { id: ts, ts, observed_ts: ts, level, service: 'checkout', tenant: 'acme', message: 'm', attrs: {} };
}

const counts = (points: MetricPoint[]) =>
  points.filter((p) => p.name === 'log_count').map((p) => [new Date(p.bucket).toISOString(), p.value]);

/** A burst of `n` events one per 50 ms from T0 + 6 s, at offsets 0…n−1. */
function burst(engine: ReturnType<typeof createWindowEngine>, n: number, firstOffset = 0): void {
  for (let i = 0; i < n; i++) engine.add(event(T0 + 6 * SECOND + i * 50), BigInt(firstOffset + i));
}

/** Ticks every second of processing time for `seconds`, returning everything drained. */
function quiet(engine: ReturnType<typeof createWindowEngine>, from: number, seconds: number): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (let s = 0; s <= seconds; s++) {
    engine.advance(from + s * SECOND);
    out.push(...engine.drain());
  }
  return out;
}

describe('windows of a quiet partition close by processing time', () => {
  it('closes a burst’s windows after window end + allowed lateness of silence, and the commit follows', () => {
    const engine = createWindowEngine(OPTIONS);
    burst(engine, 150); // 10:00:06.00 … 10:00:13.45: windows 10:00:00 and 10:00:10
    assert.deepEqual(counts(engine.drain()), [], 'nothing is due by event time alone');
    assert.equal(engine.checkpoint().offset, null, 'the first record’s window holds the commit');

    const wall = 1_000_000; // processing time has nothing to do with event time
    const points = quiet(engine, wall, 30);
    assert.deepEqual(counts(points), [
      ['2026-11-23T10:00:00.000Z', 80],
      ['2026-11-23T10:00:10.000Z', 70],
    ]);
    assert.equal(engine.stats().openWindows, 0);
    assert.equal(engine.checkpoint().offset, 149n, 'everything read may be committed');
  });

  it('emits each window exactly once, at its end + lateness measured from the last event', () => {
    const engine = createWindowEngine(OPTIONS);
    burst(engine, 50); // clock ends at 10:00:08.45
    const emittedAt: number[] = [];
    for (let s = 0; s <= 20; s++) {
      engine.advance(s * SECOND);
      if (counts(engine.drain()).length > 0) emittedAt.push(s);
    }
    // Window 10:00:00–10:00:10 + 5 s lateness = 10:00:15, 6.55 s of event time after 10:00:08.45. The
    // tick at s = 0 only notes the records; each later one moves the clock 1 s: due at s = 7.
    assert.deepEqual(emittedAt, [7]);
  });

  it('does not move the clock while records keep arriving between ticks, nor before any record', () => {
    const empty = createWindowEngine(OPTIONS);
    empty.advance(0);
    empty.advance(60 * SECOND);
    assert.equal(empty.stats().clock, Number.NEGATIVE_INFINITY);

    const busy = createWindowEngine(OPTIONS);
    for (let s = 0; s < 40; s++) {
      busy.add(event(T0 + s * 100), BigInt(s)); // 100 ms of event time per second of processing time
      busy.advance(s * SECOND);
    }
    assert.equal(busy.stats().clock, T0 + 3900, 'the clock is the latest event time');
    assert.deepEqual(counts(busy.drain()), []);
  });

  it('resumes from the commit after the close: the window is not rewritten and a straggler counts as late', () => {
    const first = createWindowEngine(OPTIONS);
    burst(first, 150);
    const stored = new Map<string, number>();
    const upsert = (points: MetricPoint[]) => {
      for (const p of points) stored.set(`${p.name}@${p.bucket}`, p.value);
    };
    upsert(quiet(first, 0, 30));
    const checkpoint = first.checkpoint();
    const metadata = encodeCheckpointMetadata(checkpoint);

    // Restart: the committed clock carries the idle advance.
    const resume = decodeCheckpointMetadata(checkpoint.offset, metadata);
    const second = createWindowEngine({ ...OPTIONS, resume });
    second.add(event(T0 + 2 * SECOND), 150n); // belongs to the closed 10:00:00 window
    second.add(event(T0 + 40 * SECOND), 151n);
    upsert(second.drain());
    upsert(quiet(second, 0, 30));
    assert.equal(stored.get(`log_count@${T0}`), 80, 'the closed window keeps its value');
    assert.equal(stored.get(`log_count@${T0 + 40 * SECOND}`), 1);
    assert.equal(second.stats().lateEvents, 1);
    assert.equal(stored.get(`late_events@${Math.floor((T0 + 45 * SECOND) / 60_000) * 60_000}`), 1);
  });

  it('gives the same stored values when the worker dies after the idle close but before its commit', () => {
    const stored = new Map<string, number>();
    const upsert = (points: MetricPoint[]) => {
      for (const p of points) stored.set(`${p.name}@${p.bucket}`, p.value);
    };
    const first = createWindowEngine(OPTIONS);
    burst(first, 150);
    upsert(first.drain());
    const held = first.checkpoint(); // committed with the burst: held before offset 0
    upsert(quiet(first, 0, 30)); // points stored, then killed before the commit
    const replay = createWindowEngine({
      ...OPTIONS,
      resume: decodeCheckpointMetadata(held.offset, encodeCheckpointMetadata(held)),
    });
    burst(replay, 150);
    upsert(replay.drain());
    upsert(quiet(replay, 0, 30));
    assert.equal(stored.get(`log_count@${T0}`), 80);
    assert.equal(stored.get(`log_count@${T0 + 10 * SECOND}`), 70);
    assert.equal(replay.checkpoint().offset, 149n);
  });

  it('publishes old windows at once by wall clock without closing them: a paused backfill is not late', () => {
    const engine = createWindowEngine(OPTIONS);
    burst(engine, 150); // event time 10:00; the wall clock is an hour later
    const wall = T0 + 3_600_000;
    const published = quiet(engine, wall, 1);
    assert.deepEqual(counts(published), [
      ['2026-11-23T10:00:00.000Z', 80],
      ['2026-11-23T10:00:10.000Z', 70],
    ]);
    assert.equal(engine.stats().openWindows > 0, true, 'published, not closed: the clock moved 1 s');
    engine.add(event(T0 + 9 * SECOND), 150n); // the backfill resumes with a straggler
    assert.equal(engine.stats().lateEvents, 0);
    assert.deepEqual(counts(quiet(engine, wall + 10 * SECOND, 30)), [['2026-11-23T10:00:00.000Z', 81]]);
    assert.equal(engine.stats().openWindows, 0);
  });
});
