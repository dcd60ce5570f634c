/**
 * Archive size of a stream of enriched events, cut into files the way the archiver cuts them: one file per
 * (tenant, UTC hour of ts, bus partition), closed at 100,000 rows (archiveWriter's `maxRows`) or once the
 * partition's event time is 5 minutes past the hour (its `graceMs`), each encoded by the archive's own
 * encoder (`encodeEvents`: sorted by ts, ZSTD 6, 20,000-row groups).
 */
import { encodeEvents } from '../../../backend/sinks/archive/eventParquet.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { parseTimestamp } from '../../../core/time/timestamp.ts';

const HOUR = 3_600_000;
const MAX_ROWS = 100_000;
const GRACE_MS = 5 * 60_000;

export interface ArchiveSize {
  events: number;
  files: number;
  parquetBytes: number;
  /** The same events as NDJSON (what the archive is compared with). */
  ndjsonBytes: number;
  encodeSeconds: number;
}

export function archiveSizer() {
  const buffers = new Map<string, { partition: number; hour: number; rows: LogEvent[] }>();
  const clocks = new Map<number, number>();
  let sinceSweep = 0;
  const size: ArchiveSize = { events: 0, files: 0, parquetBytes: 0, ndjsonBytes: 0, encodeSeconds: 0 };
  const flush = (key: string, rows: readonly LogEvent[]) => {
    const started = performance.now();
    size.parquetBytes += encodeEvents(rows).byteLength;
    size.encodeSeconds += (performance.now() - started) / 1000;
    size.files++;
    buffers.delete(key);
  };
  return {
    add(partition: number, event: LogEvent, jsonBytes: number) {
      size.events++;
      size.ndjsonBytes += jsonBytes + 1;
      const ms = parseTimestamp(event.ts).ms;
      const hour = Math.floor(ms / HOUR);
      if (ms > (clocks.get(partition) ?? 0)) clocks.set(partition, ms);
      const key = `${event.tenant}\u0000${hour}\u0000${partition}`;
      let buffer = buffers.get(key);
      if (buffer === undefined) {
        buffer = { partition, hour, rows: [] };
        buffers.set(key, buffer);
      }
      buffer.rows.push(event);
      if (buffer.rows.length >= MAX_ROWS) flush(key, buffer.rows);
      if (++sinceSweep >= 10_000) {
        sinceSweep = 0;
        for (const [k, b] of [...buffers])
          if ((clocks.get(b.partition) ?? 0) > (b.hour + 1) * HOUR + GRACE_MS) flush(k, b.rows);
      }
    },
    finish(): ArchiveSize {
      for (const [key, buffer] of [...buffers]) flush(key, buffer.rows);
      return size;
    },
  };
}
