import type {
  CommitRequest,
  ConsumedBatch,
  ConsumeOptions,
  Consumer,
  IdleOptions,
} from '../../core/ports/bus.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';

export interface ConsumerRoleOptions {
  /** Role name: the metric prefix (`sluice_<role>_…`) and the log component. */
  role: string;
  group: string;
  topic: string;
  maxBatchRecords?: number;
  /**
   * Members of the group this process runs (default 1). Each is handed its own partitions and fetches
   * and handles them independently, so one partition's batch is fetched while another's is in the sink.
   */
  consumers?: number;
  /** Processes one batch; its sink must hold the results before it resolves (then the offset commits). */
  handle: (batch: ConsumedBatch) => Promise<undefined | CommitRequest>;
  /** Called for quiet partitions read to their end (core/ports/bus.ts). */
  idle?: IdleOptions;
  /** Called with a member's partitions after each rebalance (core/ports/bus.ts). */
  onAssigned?: ConsumeOptions['onAssigned'];
  /** Extra work at stop, after the consumer stopped (flushing buffers, closing stores). */
  onStop?: () => Promise<void>;
}

/**
 * The loop every worker role shares: one consumer group on one topic, records counted in and failures
 * counted, batch latency and consumer lag exported. A handler that throws is retried by the bus with
 * backoff (never skipped), so a sink outage pauses the role instead of losing data.
 */
export async function startConsumerRole(
  ctx: ServerContext,
  options: ConsumerRoleOptions,
): Promise<RoleHandle> {
  const { registry } = ctx;
  const p = `sluice_${options.role}`;
  const recordsIn = registry.counter(`${p}_records_in_total`, `Records the ${options.role} consumed.`);
  const failures = registry.counter(
    `${p}_batch_failures_total`,
    `Batches whose processing failed (retried).`,
  );
  const latency = registry.histogram(`${p}_batch_duration_seconds`, `Time to process one batch.`);
  const lag = registry.gauge(`${p}_consumer_lag`, 'Records behind the end of the partition.', ['partition']);
  const log = ctx.log.child({ role: options.role });

  const join = (): Promise<Consumer> =>
    ctx.bus.consume({
      group: options.group,
      topics: [options.topic],
      fromBeginning: true,
      maxBatchRecords: options.maxBatchRecords ?? 2000,
      idle: options.idle,
      onAssigned: options.onAssigned,
      handler: async (batch) => {
        const started = performance.now();
        try {
          const result = await options.handle(batch);
          recordsIn.inc(undefined, batch.records.length);
          latency.observe((performance.now() - started) / 1000);
          return result;
        } catch (error) {
          failures.inc();
          log.warn('batch failed; it will be retried', {
            partition: batch.partition,
            first_offset: String(batch.records[0]?.offset),
            error: (error as Error).message,
          });
          throw error;
        }
      },
    });
  // All at once: each join rebalances the group, and joining one by one would wait out a rebalance each.
  const joined = await Promise.allSettled(Array.from({ length: options.consumers ?? 1 }, join));
  const consumers = joined.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const refused = joined.find((outcome) => outcome.status === 'rejected');
  if (refused !== undefined) {
    await Promise.allSettled(consumers.map((c) => c.stop()));
    throw refused.reason;
  }
  registry.onCollect(async () => {
    for (const consumer of consumers) {
      const lags = await consumer.lag().catch(() => []);
      for (const l of lags) lag.set(Number(l.lag), { partition: String(l.partition) });
    }
  });
  log.info('consuming', { topic: options.topic, group: options.group, consumers: consumers.length });
  return {
    name: options.role,
    async stop() {
      const stopped = await Promise.allSettled(consumers.map((c) => c.stop()));
      await options.onStop?.();
      const failed = stopped.find((outcome) => outcome.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    },
  };
}
