import type { LogEvent } from '../../core/event/types.ts';
import { isSluiceEvent, readEvent } from '../../core/event/wireFormat.ts';
import type { BusRecord, ConsumedBatch } from '../../core/ports/bus.ts';
import { deadLetter } from '../processor/dlq.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';
import { startConsumerRole } from './consumerRole.ts';

const encoder = new TextEncoder();

/**
 * The indexer: logs.enriched → the search store, idempotent by event id. The offset commits only after
 * the store took the batch; documents the store refuses (mapping errors) go to logs.dlq with the reason
 * instead of being retried forever, so one bad document never stalls a partition. Anything else (the
 * store down, 429) throws: the bus redelivers the batch after a backoff and the role catches up.
 */
export async function startRole(ctx: ServerContext): Promise<RoleHandle> {
  const store = await ctx.stores.search();
  const indexed = ctx.registry.counter(
    'sluice_indexer_events_indexed_total',
    'Events the search store took.',
  );
  const refused = ctx.registry.counter(
    'sluice_indexer_events_refused_total',
    'Events the search store refused (to logs.dlq).',
  );
  return startConsumerRole(ctx, {
    role: 'indexer',
    group: `${ctx.topics.prefix}sluice-indexer`,
    topic: ctx.topics.enriched,
    maxBatchRecords: ctx.config.indexer.batch_records,
    consumers: ctx.config.indexer.consumers,
    handle: async (batch: ConsumedBatch) => {
      const events: LogEvent[] = [];
      // The bytes of each event the processor wrote become its document as they are (bulkDocuments.ts).
      const sources: Array<Uint8Array | undefined> = [];
      const letters: BusRecord[] = [];
      for (const r of batch.records) {
        // Parsed once; validated in full only when Sluice did not write it (no schema header).
        const read = readEvent(r.value, r.headers);
        if (!read.ok) {
          letters.push(deadLetter('index', read.reason, r));
          continue;
        }
        events.push(read.event);
        sources.push(isSluiceEvent(r.headers) ? r.value : undefined);
      }
      const result = await store.index(events, sources);
      for (const { event, reason } of result.rejected) {
        letters.push(
          deadLetter('index', reason, {
            key: `${event.tenant}/${event.service}`,
            value: encoder.encode(JSON.stringify(event)),
          }),
        );
      }
      if (letters.length > 0) await ctx.bus.produce(ctx.topics.dlq, letters);
      indexed.inc(undefined, result.indexed);
      refused.inc(undefined, result.rejected.length);
    },
  });
}
