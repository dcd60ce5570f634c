import { validateEvent } from '../../core/event/schema.ts';
import type { BusRecord, CommitRequest, ConsumedBatch } from '../../core/ports/bus.ts';
import type { MetricPoint } from '../../core/ports/metricStore.ts';
import { startConsumerRole } from '../roles/consumerRole.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';
import { deadLetter } from './dlq.ts';
import { buildPipeline, compileWhere } from './pipeline.ts';
import {
  createWindowEngine,
  decodeCheckpointMetadata,
  encodeCheckpointMetadata,
  type WindowEngine,
  windowOptionsFromConfig,
} from './windows/index.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** How often quiet partitions publish their windows (processing time). */
const ADVANCE_INTERVAL_MS = 1000;

interface PartitionState {
  engine: WindowEngine;
  /** Offset the next batch must start at for this state to still be valid. */
  expectedNext: bigint;
  /** Serializes the handler and the advance timer on one engine. */
  lock: Promise<unknown>;
}

/**
 * The processor: logs.raw → (validate, parse, enrich, filter, sample, mask) → logs.enriched, windowed
 * metrics → logs.metrics, refusals → logs.dlq. Window state lives per bus partition; the commit is held
 * back to the first record of the oldest open window and carries the window clocks as metadata, so a
 * processor killed at any moment replays exactly what it needs and no window is counted twice.
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
  const late = registry.gauge(
    'sluice_processor_late_events',
    'Events later than allowed lateness (per partition).',
    ['partition'],
  );
  const pipeline = buildPipeline(config.processing, { dropped, sampledOut, log });
  const windowOptions = windowOptionsFromConfig(config.processing, compileWhere);
  const states = new Map<number, PartitionState>();

  async function stateFor(partition: number, firstOffset: bigint): Promise<PartitionState> {
    const known = states.get(partition);
    if (known !== undefined && known.expectedNext === firstOffset) return known;
    // New partition, or the bus went back (restart, rebalance): rebuild windows from the commit.
    const committed = await bus.committed(group, topics.raw, partition);
    const resume = decodeCheckpointMetadata(
      committed === null ? null : committed.nextOffset - 1n,
      committed?.metadata,
    );
    const state: PartitionState = {
      engine: createWindowEngine({ ...windowOptions, partition, resume }),
      expectedNext: firstOffset,
      lock: known?.lock ?? Promise.resolve(),
    };
    states.set(partition, state);
    return state;
  }

  async function publish(points: MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const records = points.map((p) => ({ key: p.name, value: encoder.encode(JSON.stringify(p)) }));
    await bus.produce(topics.metrics, records);
    out.inc({ topic: topics.metrics }, records.length);
  }

  async function handle(batch: ConsumedBatch): Promise<CommitRequest> {
    const state = await stateFor(batch.partition, batch.records[0].offset);
    const run = state.lock.then(async () => {
      const enriched: BusRecord[] = [];
      const letters: BusRecord[] = [];
      for (const record of batch.records) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(decoder.decode(record.value));
        } catch (error) {
          letters.push(deadLetter('decode', `not JSON: ${(error as Error).message}`, record));
          continue;
        }
        const valid = validateEvent(parsed);
        if (!valid.ok) {
          letters.push(deadLetter('validate', valid.reason, record));
          continue;
        }
        for (const event of pipeline([valid.event])) {
          state.engine.add(event, record.offset);
          enriched.push({ key: record.key, value: encoder.encode(JSON.stringify(event)) });
        }
      }
      const points = state.engine.drain();
      // Everything this batch produced is durable before the offset (and window clocks) are committed.
      await Promise.all([
        enriched.length > 0 ? bus.produce(topics.enriched, enriched) : undefined,
        letters.length > 0 ? bus.produce(topics.dlq, letters) : undefined,
        publish(points),
      ]);
      out.inc({ topic: topics.enriched }, enriched.length);
      if (letters.length > 0) {
        out.inc({ topic: topics.dlq }, letters.length);
        for (const l of letters) dlq.inc({ stage: JSON.parse(decoder.decode(l.value)).stage });
      }
      late.set(state.engine.stats().lateEvents, { partition: String(batch.partition) });
      state.expectedNext = batch.lastOffset + 1n;
      const checkpoint = state.engine.checkpoint();
      // offset null: either a window opened by the partition's very first record (offset 0) is still
      // open, so nothing may be committed yet (next offset 0: a restart replays from the start), or the
      // engine never saw a valid record, so everything read is done with.
      const held = checkpoint.offset === null && state.engine.stats().openWindows > 0;
      return {
        nextOffset: checkpoint.offset !== null ? checkpoint.offset + 1n : held ? 0n : batch.lastOffset + 1n,
        metadata: encodeCheckpointMetadata(checkpoint),
      };
    });
    state.lock = run.catch(() => undefined);
    try {
      return await run;
    } catch (error) {
      // The batch will be redelivered; its partial effects on the engine must not count twice.
      states.delete(batch.partition);
      throw error;
    }
  }

  // Quiet partitions still publish their windows, about once a second.
  const timer = setInterval(() => {
    for (const [partition, state] of states) {
      const run = state.lock.then(async () => {
        state.engine.advance(Date.now());
        await publish(state.engine.drain());
      });
      state.lock = run.catch((error) => {
        log.warn('publishing windows failed; the next batch retries', {
          partition,
          error: (error as Error).message,
        });
        states.delete(partition);
      });
    }
  }, ADVANCE_INTERVAL_MS);
  timer.unref();

  const handle_ = await startConsumerRole(ctx, {
    role: 'processor',
    group,
    topic: topics.raw,
    handle,
    onStop: async () => {
      clearInterval(timer);
      await Promise.all([...states.values()].map((s) => s.lock));
    },
  });
  return handle_;
}
