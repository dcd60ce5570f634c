/**
 * Archive size of a stream of enriched events, cut into files by the archiver's own writer
 * (backend/sinks/archive/archiveWriter.ts: one file per tenant-hour across partitions, at most 100,000
 * rows, closed once the partitions' event time is 5 minutes past the hour), each encoded by the archive's
 * own encoder (`encodeEvents`: sorted by ts, ZSTD 6, 20,000-row groups).
 */
import { createArchiveWriter } from '../../../backend/sinks/archive/archiveWriter.ts';
import { encodeEvents } from '../../../backend/sinks/archive/eventParquet.ts';
import { archiveKey } from '../../../backend/sinks/archive/layout.ts';
import type { LogEvent } from '../../../core/event/types.ts';

export interface ArchiveSize {
  events: number;
  files: number;
  parquetBytes: number;
  /** The same events as NDJSON (what the archive is compared with). */
  ndjsonBytes: number;
  encodeSeconds: number;
}

/**
 * The writer's memory bound is raised to 1 GiB: this benchmark reads a backlog partition by partition,
 * hours of event time apart, where a live archiver sees its partitions in step; with the default 128 MiB
 * a catch-up this size flushes tenant-hours early, in several files each.
 */
export function archiveSizer(maxBufferedBytes = 1024 * 1024 * 1024) {
  const size: ArchiveSize = { events: 0, files: 0, parquetBytes: 0, ndjsonBytes: 0, encodeSeconds: 0 };
  const offsets = new Map<number, bigint>();
  const writer = createArchiveWriter(
    {
      async write(partition, rows) {
        const started = performance.now();
        const bytes = encodeEvents(rows).byteLength;
        size.encodeSeconds += (performance.now() - started) / 1000;
        size.parquetBytes += bytes;
        size.files++;
        return { key: archiveKey(partition), tenant: partition.tenant, hour: partition.hour, bytes };
      },
    },
    { maxBufferedBytes },
  );
  // Appends queue here, so the reader's fetch loop never waits on the encoder (a consumer stuck in its
  // handler past the session timeout is thrown out of its group and reads records again).
  let queue: Promise<unknown> = Promise.resolve();
  return {
    /** One partition's events in bus order, with their JSON sizes. */
    add(partition: number, events: LogEvent[], jsonBytes: number[]): void {
      let offset = offsets.get(partition) ?? 0n;
      const records = events.map((event) => ({ offset: offset++, event }));
      offsets.set(partition, offset);
      size.events += events.length;
      for (const bytes of jsonBytes) size.ndjsonBytes += bytes + 1;
      queue = queue.then(() => writer.append(partition, records));
    },
    async finish(): Promise<ArchiveSize> {
      await queue;
      await writer.flushAll();
      return size;
    },
  };
}
