import type { ConsumedBatch } from '../../core/ports/bus.ts';
import type { MetricPoint } from '../../core/ports/metricStore.ts';
import { deadLetter } from '../processor/dlq.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';
import { startConsumerRole } from './consumerRole.ts';

const decoder = new TextDecoder();

/**
 * The metrics writer: logs.metrics → the metric store, by upsert, so a window the processor emits again
 * after a restart overwrites its earlier value. The offset commits only after the upsert returned.
 */
export async function startRole(ctx: ServerContext): Promise<RoleHandle> {
  const store = await ctx.stores.metrics();
  const points = ctx.registry.counter('sluice_metrics_points_written_total', 'Metric points upserted.');
  return startConsumerRole(ctx, {
    role: 'metrics',
    group: `${ctx.topics.prefix}sluice-metrics`,
    topic: ctx.topics.metrics,
    handle: async (batch: ConsumedBatch) => {
      const good: MetricPoint[] = [];
      const bad = [];
      for (const r of batch.records) {
        try {
          good.push(JSON.parse(decoder.decode(r.value)) as MetricPoint);
        } catch (error) {
          bad.push(deadLetter('metrics', `not a metric point: ${(error as Error).message}`, r));
        }
      }
      await store.upsert(good);
      if (bad.length > 0) await ctx.bus.produce(ctx.topics.dlq, bad);
      points.inc(undefined, good.length);
    },
  });
}
