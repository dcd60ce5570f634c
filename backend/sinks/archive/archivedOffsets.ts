import { concurrently } from './concurrently.ts';
import type { ArchivedFile } from './layout.ts';

/**
 * Which bus offsets are already in archive files, per tenant hour: what lets a replay after a crash skip
 * rows it archived before, even when the new run would cut its files at other offsets.
 *
 * It holds because of how files are cut: a file `p<P>-<first>-<last>` of a tenant's hour holds every
 * event of that tenant and hour read from partition P at offsets first…last (a buffer takes all of them,
 * in offset order, until it is flushed). So an event of that tenant, hour and partition whose offset lies
 * in the range is in that file, whatever else the range holds. A file `p<P>-r<R>-<first>-<last>` is the
 * same with positions in logs.raw partition R (the processor's source) as offsets: the archiver takes
 * R's events of partition P in source order, skipping positions it has passed (a processor replay).
 * A file naming several ranges (`…_p<Q>-r<S>-<first>-<last>`) holds each of them in that sense.
 * A file may leave out rows of its ranges that another file already held when it was written (the
 * writer's check before each write), so a range means "archived", in this file or an earlier one.
 */

export type LoadFiles = (tenant: string, hour: number) => Promise<ArchivedFile[]>;

interface HourOffsets {
  hour: number;
  /** [busPartition, sourcePartition (-1: bus offsets), first, last] of every file of the hour known to exist. */
  ranges: Array<[number, number, bigint, bigint]>;
}

export interface ArchivedOffsets {
  /** Loads (once) the files of each tenant hour not seen yet. */
  load(keys: Iterable<{ tenant: string; hour: number }>): Promise<void>;
  /** Lists the tenant hour again, whether loaded or not: what another archiver wrote meanwhile. */
  refresh(tenant: string, hour: number): Promise<void>;
  /** True when a loaded file of the tenant hour already holds this position (source partition, or bus offset). */
  has(
    tenant: string,
    hour: number,
    busPartition: number,
    source: number | undefined,
    offset: bigint,
  ): boolean;
  /** Records a file just written. */
  add(
    tenant: string,
    hour: number,
    busPartition: number,
    source: number | undefined,
    first: bigint,
    last: bigint,
  ): void;
  /** Forgets hours that started before `hour` (reloaded if a replay reaches them again); all with Infinity. */
  forgetBefore(hour: number): void;
}

export function createArchivedOffsets(loadFiles: LoadFiles, concurrency = 8): ArchivedOffsets {
  const hours = new Map<string, HourOffsets>();
  const keyOf = (tenant: string, hour: number) => `${hour}\u0000${tenant}`;

  const list = async (tenant: string, hour: number) => {
    const files = await loadFiles(tenant, hour);
    hours.set(keyOf(tenant, hour), {
      hour,
      ranges: files.flatMap((f) =>
        f.ranges.map((r): [number, number, bigint, bigint] => [
          r.busPartition,
          r.sourcePartition ?? -1,
          r.firstOffset,
          r.lastOffset,
        ]),
      ),
    });
  };

  return {
    async load(keys) {
      const missing = new Map<string, { tenant: string; hour: number }>();
      for (const { tenant, hour } of keys)
        if (!hours.has(keyOf(tenant, hour))) missing.set(keyOf(tenant, hour), { tenant, hour });
      await concurrently([...missing.values()], concurrency, ({ tenant, hour }) => list(tenant, hour));
    },

    refresh: list,

    has(tenant, hour, busPartition, source, offset) {
      const entry = hours.get(keyOf(tenant, hour));
      if (entry === undefined) return false;
      const sourcePartition = source ?? -1;
      for (const [partition, from, first, last] of entry.ranges) {
        if (partition === busPartition && from === sourcePartition && first <= offset && offset <= last)
          return true;
      }
      return false;
    },

    add(tenant, hour, busPartition, source, first, last) {
      // Only to an hour loaded: an entry made here would hold this file alone, and has() would then miss
      // the hour's other files (a replay duplicating them). Unloaded, the next load lists this file too.
      hours.get(keyOf(tenant, hour))?.ranges.push([busPartition, source ?? -1, first, last]);
    },

    forgetBefore(hour) {
      for (const [key, entry] of hours) if (entry.hour < hour) hours.delete(key);
    },
  };
}
