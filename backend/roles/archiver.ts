import { readEvent } from '../../core/event/wireFormat.ts';
import type { ConsumedBatch } from '../../core/ports/bus.ts';
import { deadLetter } from '../processor/dlq.ts';
import { readSource } from '../processor/sourcePosition.ts';
import { isExpired } from '../retention/plan.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';
import { createArchiveWriter, type OffsetEvent } from '../sinks/archive/archiveWriter.ts';
import { startConsumerRole } from './consumerRole.ts';

const HOUR_MS = 3_600_000;
/** How often buffers whose hour is over are written out. */
const FLUSH_CHECK_MS = 10_000;

/**
 * The archiver: logs.enriched → hourly Parquet files per tenant. Events wait in per-(tenant, hour,
 * partition) buffers, so the commit is held back to the first offset still buffered: a crash replays
 * exactly what was not yet in a file, and the writer skips offsets an existing file already covers.
 */
export async function startRole(ctx: ServerContext): Promise<RoleHandle> {
  const archive = ctx.stores.archive();
  const files = ctx.registry.counter('sluice_archiver_files_written_total', 'Parquet files written.');
  const buffered = ctx.registry.gauge(
    'sluice_archiver_buffered_events',
    'Events waiting in buffers for their file.',
  );
  const expiredEvents = ctx.registry.counter(
    'sluice_archiver_expired_events_total',
    'Events not archived because their hour is already past archive retention.',
  );
  const log = ctx.log.child({ role: 'archiver' });
  const letters: ReturnType<typeof deadLetter>[] = [];
  const writer = createArchiveWriter(archive, {
    onInvalid: (record, error) => {
      letters.push(
        deadLetter('archive', error.message, {
          key: record.event.tenant,
          value: new TextEncoder().encode(JSON.stringify(record.event)),
        }),
      );
    },
  });
  const expected = new Map<number, bigint>();

  const timer = setInterval(() => {
    writer
      .flushDue(Date.now())
      .then((written) => {
        if (written.length > 0) log.info('archive files written', { files: written.length });
        files.inc(undefined, written.length);
        buffered.set(writer.stats().rows);
      })
      .catch((error) =>
        log.warn('archive flush failed; retried on the next tick', { error: (error as Error).message }),
      );
  }, FLUSH_CHECK_MS);
  timer.unref();

  async function handle(batch: ConsumedBatch) {
    // The bus went back (restart, rebalance): what this process buffered for the partition is replayed.
    const next = expected.get(batch.partition);
    if (next !== undefined && next !== batch.records[0].offset) await writer.release(batch.partition);
    const events: OffsetEvent[] = [];
    const now = Date.now();
    let expired = 0;
    for (const r of batch.records) {
      // Parsed once; validated in full only when Sluice did not write it (no schema header).
      const parsed = readEvent(r.value, r.headers);
      if (!parsed.ok) letters.push(deadLetter('archive', parsed.reason, r));
      // An hour already past retention is not written: the next retention run would only delete it, and
      // after a restart the held-back commit replays records whose file retention has just deleted,
      // which would bring expired events back.
      else if (isExpired(ctx.config.retention, 'archive', parsed.event.tenant, hourEnd(parsed.event.ts), now))
        expired++;
      else events.push({ offset: r.offset, event: parsed.event, source: readSource(r.headers) });
    }
    if (expired > 0) expiredEvents.inc(undefined, expired);
    const written = await writer.append(batch.partition, events);
    files.inc(undefined, written.length);
    if (letters.length > 0) await ctx.bus.produce(ctx.topics.dlq, letters.splice(0));
    expected.set(batch.partition, batch.lastOffset + 1n);
    buffered.set(writer.stats().rows);
    const nextOffset = writer.nextOffset(batch.partition);
    return nextOffset === undefined ? undefined : { nextOffset };
  }

  return startConsumerRole(ctx, {
    role: 'archiver',
    group: `${ctx.topics.prefix}sluice-archiver`,
    topic: ctx.topics.enriched,
    maxBatchRecords: 5000,
    handle,
    // A revoked partition's buffers are dropped, not written: its new owner replays them from the
    // commit, and a late write here would race the new owner's (two rows for one event).
    onAssigned: (owned) => {
      const kept = new Set(owned.map((tp) => tp.partition));
      for (const partition of expected.keys()) if (!kept.has(partition)) expected.delete(partition);
      void writer.retain(kept);
    },
    onStop: async () => {
      clearInterval(timer);
      // Files for everything buffered; a restart replays from the held-back commit and skips these rows.
      const written = await writer.flushAll();
      files.inc(undefined, written.length);
    },
  });
}

function hourEnd(ts: string): number {
  return Math.floor(Date.parse(ts) / HOUR_MS) * HOUR_MS + HOUR_MS;
}
