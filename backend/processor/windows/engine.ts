import type { LogEvent } from '../../../core/event/types.ts';
import type { MetricPoint } from '../../../core/ports/metricStore.ts';
import { BUILTIN_AGGREGATE, BUILTIN_WINDOW_MS, createBuiltinMetrics } from './builtinMetrics.ts';
import { createConfiguredAggregate } from './configuredAggregate.ts';
import { createLateEvents } from './lateEvents.ts';
import { AggregateSpecError, resolveAggregates } from './resolveAggregates.ts';
import { createTimestampReader } from './timestampReader.ts';
import type { WindowCheckpoint, WindowEngineOptions, WindowEngineStats } from './types.ts';
import type { WindowFamily } from './windowFamily.ts';
import type { WindowSlot, WindowTable } from './windowTable.ts';

/**
 * Windowed aggregation of one bus partition on event time. Feed records in offset order with add(),
 * call drain() after each batch and upsert what it returns, then commit checkpoint() with the offset.
 * No timers inside: advance() is driven by the caller so a quiet partition still publishes.
 */
export interface WindowEngine {
  add(event: LogEvent, offset: bigint): void;
  /**
   * Processing-time tick for a quiet partition. If no record arrived since the previous call, the clock
   * moves on by the processing time elapsed since then, so windows fire and close as if event time went
   * on: a burst followed by silence has its windows final `end + lateness (+ late updates)` later.
   * The moved clock is part of checkpoint(), so a restart judges later records exactly as this run did.
   * Windows whose end + lateness is already past `nowMs` itself (old events) are published at once, not
   * closed: a backfill that pauses must not find its next events late.
   */
  advance(nowMs: number): void;
  /** Points ready to upsert (final values, and updates of windows already published). */
  drain(): MetricPoint[];
  /** What to commit: only valid once the points of every earlier drain() are stored. */
  checkpoint(): WindowCheckpoint;
  committableOffset(): bigint | null;
  stats(): WindowEngineStats;
}

export const DEFAULT_MAX_FUTURE_MS = 60_000;

export function createWindowEngine(options: WindowEngineOptions): WindowEngine {
  const partition = String(options.partition);
  const latenessMs = options.allowedLatenessMs;
  const lateUpdatesMs = options.lateUpdatesMs ?? 0;
  const maxFutureMs = options.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS;
  const resolved = resolveAggregates(options.aggregates ?? [], { latenessMs, lateUpdatesMs });
  const builtinWindowMs = options.builtinWindowMs ?? BUILTIN_WINDOW_MS;
  if (!Number.isSafeInteger(builtinWindowMs) || builtinWindowMs <= 0) {
    throw new AggregateSpecError(
      BUILTIN_AGGREGATE,
      `window must be a whole number of ms above 0, got ${builtinWindowMs}`,
    );
  }
  if (!(latenessMs >= 0 && lateUpdatesMs >= 0 && maxFutureMs >= 0)) {
    throw new AggregateSpecError(
      BUILTIN_AGGREGATE,
      'allowed lateness, late updates and max future cannot be negative',
    );
  }
  const families: WindowFamily[] = resolved.map((aggregate) =>
    createConfiguredAggregate(partition, aggregate),
  );
  if (options.builtinMetrics !== false) {
    families.unshift(createBuiltinMetrics(partition, builtinWindowMs, latenessMs, lateUpdatesMs));
  }
  const late = createLateEvents(partition);
  const tables: WindowTable<unknown>[] = [...families.map((family) => family.table), late.table];
  const readTs = createTimestampReader();

  const resume = options.resume;
  // The restored clock makes every replayed record late or on time exactly as it was the first time.
  let clock = resume?.clock ?? Number.NEGATIVE_INFINITY;
  // Windows final at or before this were emitted before the restart: replayed records skip them.
  const resumedThrough = resume?.emittedThrough ?? Number.NEGATIVE_INFINITY;
  let emittedThrough = resumedThrough;
  let lastTick: number | undefined;
  let publishClock = Number.NEGATIVE_INFINITY;
  let lastOffset: bigint | null = resume?.offset ?? null;
  let activeSinceAdvance = false;
  let lastTenant: string | undefined;
  let lastService: string | undefined;
  let lastKey = '';
  let lateEvents = 0;
  let invalidEvents = 0;
  let clampedEvents = 0;

  const clampToObserved = (event: LogEvent, ts: number) => {
    const limit = Date.parse(event.observed_ts) + maxFutureMs;
    if (!(ts > limit)) return ts; // also when observed_ts is unreadable (NaN)
    clampedEvents++;
    return limit;
  };

  const checkpoint = (): WindowCheckpoint => {
    let oldest: WindowSlot<unknown> | undefined;
    for (const table of tables) {
      const candidate = table.oldest();
      if (candidate !== undefined && (oldest === undefined || candidate.firstOffset < oldest.firstOffset)) {
        oldest = candidate;
      }
    }
    if (oldest === undefined) return { offset: lastOffset, clock, emittedThrough };
    // Hold the commit before the oldest open window's first record, so a restart replays all of it.
    const offset = oldest.firstOffset > 0n ? oldest.firstOffset - 1n : null;
    return { offset, clock: oldest.clockAtOpen, emittedThrough };
  };

  return {
    add(event, offset) {
      lastOffset = offset;
      if (!activeSinceAdvance) {
        activeSinceAdvance = true;
        publishClock = Number.NEGATIVE_INFINITY; // records flow again: windows wait for the clock
      }
      let ts = readTs(event.ts);
      if (Number.isNaN(ts)) {
        invalidEvents++;
        return;
      }
      // One far-future stamp (a wrong time zone, say) would push the clock ahead and make every other
      // event late; checked only on a jump, so the common path never parses observed_ts.
      if (ts > clock + maxFutureMs) ts = clampToObserved(event, ts);
      if (event.tenant !== lastTenant || event.service !== lastService) {
        lastTenant = event.tenant;
        lastService = event.service;
        lastKey = `${lastTenant}\u0000${lastService}`;
      }
      let wasLate = false;
      for (const family of families) {
        if (family.add(event, lastKey, ts, offset, clock, resumedThrough)) {
          wasLate = true;
          late.count(event.tenant, event.service, family.name, offset, clock, resumedThrough);
        }
      }
      if (wasLate) lateEvents++;
      if (ts > clock) clock = ts;
    },
    advance(nowMs) {
      const quiet = lastTick !== undefined && !activeSinceAdvance;
      const quietFor = quiet ? nowMs - (lastTick as number) : 0;
      activeSinceAdvance = false;
      lastTick = nowMs;
      if (!quiet) return;
      if (nowMs > publishClock) publishClock = nowMs;
      // Nothing seen yet: there is no event time to move on from, and no window open.
      if (quietFor > 0 && clock !== Number.NEGATIVE_INFINITY) clock += quietFor;
    },
    drain() {
      const out: MetricPoint[] = [];
      for (const family of families) family.collect(clock, publishClock, out);
      late.collect(clock, publishClock, out);
      // Every window final at this clock was just evicted and its last value is in `out`.
      if (clock > emittedThrough) emittedThrough = clock;
      return out;
    },
    checkpoint,
    committableOffset: () => checkpoint().offset,
    stats() {
      let openWindows = 0;
      for (const table of tables) openWindows += table.size;
      return { lateEvents, invalidEvents, clampedEvents, openWindows, clock };
    },
  };
}
