import type { LogEvent } from '../../core/event/types.ts';
import { EVENT_HEADERS, readEvent } from '../../core/event/wireFormat.ts';
import type { BusRecord, CommitRequest, ConsumedBatch, IdlePartition } from '../../core/ports/bus.ts';
import type { MetricPoint } from '../../core/ports/metricStore.ts';
import { eventTimeWindowOf } from '../config/access.ts';
import { startConsumerRole } from '../roles/consumerRole.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';
import { deadLetter } from './dlq.ts';
import { buildPipeline, compileWhere } from './pipeline.ts';
import { createRecentIds, type RecentIds } from './recentIds.ts';
import { sourceHeaders } from './sourcePosition.ts';
import {
  createWindowEngine,
  decodeCheckpointMetadata,
  decodeProducedThrough,
  encodeCheckpointMetadata,
  type WindowEngine,
  windowOptionsFromConfig,
} from './windows/index.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** How long a partition read to its end must stay quiet before its window clock moves with processing time. */
const IDLE_AFTER_MS = 1000;

interface PartitionState {
  engine: WindowEngine;
  /** Offset after the last record applied to the engine: a batch starting before it is partly applied. */
  expectedNext: bigint;
  /** Last offset whose output (logs.enriched, logs.dlq) is durable: a replay does not produce it again. */
  producedThrough: bigint;
  /** Points drained from the engine but not yet durable in logs.metrics (a failed publish keeps them). */
  pending: MetricPoint[];
  /** Serializes the batches and the idle ticks of one engine. */
  lock: Promise<unknown>;
  /** Ids of the events let through lately: a batch the agent resent is dropped (recentIds.ts). */
  recent: RecentIds;
}

/**
 * The processor: logs.raw → (validate, parse, enrich, filter, sample, mask) → logs.enriched, windowed
 * metrics → logs.metrics, refusals → logs.dlq. Window state lives per bus partition; the commit is held
 * back to the first record of the oldest open window and carries the window clocks as metadata, so a
 * processor killed at any moment replays exactly what it needs and no window is counted twice. The
 * metadata also carries the last offset already produced, so the replay feeds the windows without
 * producing those records again; a partition gone quiet closes its windows by processing time (the idle
 * handler), and its commit follows.
 */
export async function startProcessor(ctx: ServerContext): Promise<RoleHandle> {
  const { config, bus, topics, registry } = ctx;
  const log = ctx.log.child({ role: 'processor' });
  const group = `${topics.prefix}sluice-processor`;
  const out = registry.counter('sluice_processor_records_out_total', 'Records produced, by topic.', [
    'topic',
  ]);
  const dropped = registry.counter('sluice_processor_dropped_total', 'Events dropped by a filter rule.', [
    'rule',
  ]);
  const sampledOut = registry.counter('sluice_processor_sampled_out_total', 'Events left out by sampling.', [
    'rule',
  ]);
  const dlq = registry.counter('sluice_processor_dlq_total', 'Records sent to logs.dlq, by stage.', [
    'stage',
  ]);
  const duplicates = registry.counter(
    'sluice_processor_duplicates_total',
    'Events dropped as copies of one just processed (same id: a batch an agent resent after a lost answer).',
  );
  const late = registry.gauge(
    'sluice_processor_late_events',
    'Events later than allowed lateness (per partition).',
    ['partition'],
  );
  const pipeline = buildPipeline(config.processing, {
    dropped,
    sampledOut,
    log,
    eventTimeWindow: eventTimeWindowOf(config.limits.event_time, config.retention.search),
  });
  const windowOptions = windowOptionsFromConfig(config.processing, compileWhere);
  const states = new Map<number, PartitionState>();

  async function stateFor(partition: number, firstOffset: bigint): Promise<PartitionState> {
    const known = states.get(partition);
    // A batch starting at or before where the state stands (a retry after a failure, or the bus went back
    // to the held-back commit): the records before expectedNext are in the engine already, and skipped.
    if (known !== undefined && firstOffset <= known.expectedNext) return known;
    // New partition, or another member moved it on meanwhile: rebuild the windows from the commit.
    const committed = await bus.committed(group, topics.raw, partition);
    if (committed !== null && committed.nextOffset !== firstOffset) {
      log.warn('batch does not start at the committed offset; windows rebuilt from the commit', {
        partition,
        committed: String(committed.nextOffset),
        first_offset: String(firstOffset),
      });
    }
    const resume = decodeCheckpointMetadata(
      committed === null ? null : committed.nextOffset - 1n,
      committed?.metadata,
    );
    const state: PartitionState = {
      engine: createWindowEngine({ ...windowOptions, partition, resume }),
      expectedNext: firstOffset,
      producedThrough: decodeProducedThrough(committed?.metadata) ?? -1n,
      pending: [],
      lock: known?.lock ?? Promise.resolve(),
      recent: known?.recent ?? createRecentIds(),
    };
    states.set(partition, state);
    return state;
  }

  /** Drains the engine and makes every drained point durable; on failure they stay pending for a retry. */
  async function publishWindows(state: PartitionState): Promise<void> {
    for (const point of state.engine.drain()) state.pending.push(point);
    if (state.pending.length === 0) return;
    const records = state.pending.map((p) => ({ key: p.name, value: encoder.encode(JSON.stringify(p)) }));
    await bus.produce(topics.metrics, records);
    state.pending = [];
    out.inc({ topic: topics.metrics }, records.length);
  }

  /** What to commit once the state's output is durable: before the oldest open window, or all read. */
  function commitOf(state: PartitionState): CommitRequest {
    const checkpoint = state.engine.checkpoint();
    // With a window open, a restart must replay from its first record (offset null: the partition's
    // first record, so nothing may be committed). With none open, everything read is done with.
    const nextOffset =
      state.engine.stats().openWindows === 0
        ? state.expectedNext
        : checkpoint.offset === null
          ? 0n
          : checkpoint.offset + 1n;
    return { nextOffset, metadata: encodeCheckpointMetadata(checkpoint, state.producedThrough) };
  }

  function locked<T>(state: PartitionState, work: () => Promise<T>): Promise<T> {
    const run = state.lock.then(work);
    state.lock = run.catch(() => undefined);
    return run;
  }

  async function handle(batch: ConsumedBatch): Promise<CommitRequest> {
    const state = await stateFor(batch.partition, batch.records[0].offset);
    return locked(state, async () => {
      const enriched: BusRecord[] = [];
      const letters: BusRecord[] = [];
      const windowed: Array<{ event: LogEvent; offset: bigint }> = [];
      const ids = new Set<string>();
      for (const record of batch.records) {
        if (record.offset < state.expectedNext) continue; // applied before this retry or replay
        const produce = record.offset > state.producedThrough;
        const read = readEvent(record.value, record.headers);
        if (!read.ok) {
          if (produce) letters.push(deadLetter(read.stage, read.reason, record));
          continue;
        }
        const input = read.event;
        if (state.recent.has(input.id) || ids.has(input.id)) {
          duplicates.inc();
          continue;
        }
        ids.add(input.id);
        for (const event of pipeline([input])) {
          windowed.push({ event, offset: record.offset });
          if (produce)
            enriched.push({
              key: record.key,
              // Stages return a new object for an event they change: an unchanged one keeps its bytes.
              value: event === input ? record.value : Buffer.from(JSON.stringify(event)),
              headers: sourceHeaders(batch.partition, record.offset, EVENT_HEADERS),
            });
        }
      }
      // The output is durable before the windows see the batch: a failure here leaves the engine as it
      // was, and the batch delivered again is applied once.
      await Promise.all([
        enriched.length > 0 ? bus.produce(topics.enriched, enriched) : undefined,
        letters.length > 0 ? bus.produce(topics.dlq, letters) : undefined,
      ]);
      out.inc({ topic: topics.enriched }, enriched.length);
      if (letters.length > 0) {
        out.inc({ topic: topics.dlq }, letters.length);
        for (const l of letters) dlq.inc({ stage: JSON.parse(decoder.decode(l.value)).stage });
      }
      if (batch.lastOffset > state.producedThrough) state.producedThrough = batch.lastOffset;
      state.recent.addAll(ids);
      for (const { event, offset } of windowed) state.engine.add(event, offset);
      if (batch.lastOffset >= state.expectedNext) state.expectedNext = batch.lastOffset + 1n;
      // Everything this batch produced is durable before the offset (and window clocks) are committed.
      await publishWindows(state);
      late.set(state.engine.stats().lateEvents, { partition: String(batch.partition) });
      return commitOf(state);
    });
  }

  /** A partition read to its end and quiet: its windows close by processing time, and the commit follows. */
  async function idle(partition: IdlePartition): Promise<CommitRequest | undefined> {
    const state = states.get(partition.partition);
    if (state === undefined || state.expectedNext !== partition.nextOffset) return undefined;
    return locked(state, async () => {
      state.engine.advance(Date.now());
      await publishWindows(state);
      return commitOf(state);
    });
  }

  return startConsumerRole(ctx, {
    role: 'processor',
    group,
    topic: topics.raw,
    handle,
    idle: { afterMs: IDLE_AFTER_MS, handler: idle },
    onStop: async () => {
      await Promise.all([...states.values()].map((s) => s.lock));
    },
  });
}
