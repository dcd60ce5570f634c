import type { MetricPoint } from '../../../../core/ports/metricStore.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';
import { decodeCheckpointMetadata, encodeCheckpointMetadata } from '../checkpoint.ts';
import { createWindowEngine, type WindowEngine } from '../engine.ts';
import type { WindowCheckpoint, WindowEngineOptions } from '../types.ts';
import type { StreamRecord } from './randomStream.ts';
import { pointKey } from './reference.ts';

/**
 * Drives an engine the way the processor's consumer does, against an in-memory upsert store and an
 * in-memory committed checkpoint: batches of records, drain → upsert → commit after each batch.
 * With `crashes`, the worker is killed at random moments (mid-batch, after drain but before the
 * upsert, after the upsert but before the commit): everything in memory is lost, and a new engine
 * resumes from the committed checkpoint and re-reads the partition from the offset after it.
 * The stream ends with the partition going quiet for good: the idle advance closes every window.
 */
export interface RunPlan {
  seed: number;
  maxBatch?: number;
  crashes?: number;
}

export interface RunResult {
  store: Map<string, number>;
  crashes: number;
  /** Records read in total, replays included. */
  reads: number;
}

export function runEngine(
  records: readonly StreamRecord[],
  options: WindowEngineOptions,
  plan: RunPlan,
): RunResult {
  const random = mulberry32(plan.seed);
  const store = new Map<string, number>();
  const upsert = (points: MetricPoint[]) => {
    for (const point of points) store.set(pointKey(point), point.value);
  };
  // What the bus holds for this consumer group: the offset and, as its metadata, the two clocks.
  let committed: { offset: bigint | null; metadata: string | null } = { offset: null, metadata: null };
  const start = (): WindowEngine => {
    const resume: WindowCheckpoint | undefined = decodeCheckpointMetadata(
      committed.offset,
      committed.metadata,
    );
    return createWindowEngine({ ...options, resume });
  };
  let engine = start();
  let position = 0;
  let crashesLeft = plan.crashes ?? 0;
  let crashes = 0;
  let reads = 0;
  const crashNow = () => crashesLeft > 0 && random() < 0.08;
  const crash = () => {
    crashesLeft--;
    crashes++;
    engine = start();
    position = committed.offset === null ? 0 : Number(committed.offset) + 1;
  };

  while (position < records.length) {
    const batch = 1 + Math.floor(random() * (plan.maxBatch ?? 50));
    const end = Math.min(records.length, position + batch);
    let crashed = false;
    for (; position < end; position++) {
      engine.add(records[position].event, records[position].offset);
      reads++;
      if (crashNow()) {
        crashed = true;
        break;
      }
    }
    if (crashed) {
      crash();
      continue;
    }
    // Sometimes the checkpoint is taken before this drain: it is then behind, which must be just as safe.
    const early = random() < 0.3 ? engine.checkpoint() : undefined;
    const points = engine.drain();
    if (crashNow()) {
      crash(); // the drained points never reached the store
      continue;
    }
    upsert(points);
    if (crashNow()) {
      crash(); // stored, but the commit never happened: the batch is read again
      continue;
    }
    const checkpoint = early ?? engine.checkpoint();
    committed = { offset: checkpoint.offset, metadata: encodeCheckpointMetadata(checkpoint) };
  }
  upsert(engine.drain());
  // The stream ends and the partition stays quiet for a year: the idle advance closes what is still open.
  engine.advance(0);
  engine.advance(365 * 24 * 3_600_000);
  upsert(engine.drain());
  return { store, crashes, reads };
}
