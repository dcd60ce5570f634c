import type { LogEvent } from '../../../core/event/types.ts';
import type { ArchiveFile, ArchivePartition, ArchiveRange } from '../../../core/ports/archive.ts';
import { type ArchivedOffsets, createArchivedOffsets } from './archivedOffsets.ts';
import { concurrently } from './concurrently.ts';
import { checkEventFields } from './eventColumns.ts';
import {
  type ArchivedFile,
  fileName,
  HOUR_MS,
  hourStart,
  MAX_FILE_NAME_BYTES,
  MAX_RANGES_PER_FILE,
} from './layout.ts';
import { eventTimeMs } from './storedTime.ts';

/**
 * The archiver sink's buffering: events from the bus, one buffer per tenant-hour across the partitions
 * this archiver owns (files mixing services compress better: a request's correlation and trace ids sit
 * next to each other once sorted by time), flushed to one archive file when it is big enough (rows or
 * bytes: memory stays bounded), when its hour is over (event-time watermark, or processing time, plus a
 * grace period for late events), or on demand. The consumer loop around it feeds batches, calls flushDue on
 * a timer, and commits nextOffset.
 *
 * Inside a buffer each (bus partition, source partition) keeps its own segment, and the file's name lists
 * every segment's offset range (layout.ts), so a replay after a crash still finds which rows are archived.
 *
 * Why the commit offset trails: an event is safe only once its file is written. Committing past an
 * unflushed buffer would lose its rows on a crash, so the committable offset of a partition stops just
 * before the first offset still held in any buffer's segment of it.
 */

export interface ArchiveWriterOptions {
  /** Rows per file at most. Default 100 000. */
  maxRows?: number;
  /** Estimated bytes (about the events' JSON size) per buffer at most. Default 32 MiB. */
  maxBytes?: number;
  /** Estimated bytes across all buffers; above it the largest buffer is flushed. Default 128 MiB. */
  maxBufferedBytes?: number;
  /** How long after its hour ends a buffer still waits for late events. Default 5 minutes. */
  graceMs?: number;
  /** Files written at once (S3 round trips overlap). Default 4. */
  flushConcurrency?: number;
  /**
   * Called for an event that cannot be archived (unreadable ts, a field of the wrong type), which is then skipped;
   * route it to the dead-letter topic. Without it such an event throws from append.
   */
  onInvalid?: (record: OffsetEvent, error: Error) => void;
}

export interface OffsetEvent {
  offset: bigint;
  event: LogEvent;
  /**
   * Where the processor read the event (logs.raw partition and offset; processor/sourcePosition.ts). Given,
   * files are named by it and a position already passed is a replay, skipped; absent, by the bus offset.
   */
  source?: { partition: number; offset: bigint };
}

/** Where buffers go: the Archive port, plus the lookup that lets replays skip rows already archived. */
export interface ArchiveTarget {
  write(partition: ArchivePartition, rows: LogEvent[]): Promise<ArchiveFile>;
  filesOfHour?(tenant: string, hour: number): Promise<ArchivedFile[]>;
}

export interface ArchiveWriter {
  /** Takes one partition's events in offset order (offsets seen before are skipped); resolves after the flushes they caused. */
  append(busPartition: number, records: readonly OffsetEvent[]): Promise<ArchiveFile[]>;
  /** Flushes the buffers whose hour ended at least the grace period before `now` (wall clock, ms). */
  flushDue(now: number): Promise<ArchiveFile[]>;
  /** Flushes every buffer, or one partition's: before shutdown, then commit. */
  flushAll(busPartition?: number): Promise<ArchiveFile[]>;
  /** The last offset of the partition whose event is archived or skipped, with none unflushed before it. */
  committableOffset(busPartition: number): bigint | undefined;
  /**
   * Where a restarted consumer must resume (committableOffset + 1): what the consumer handler returns as
   * its CommitRequest's `nextOffset` (core/ports/bus.ts). Undefined before the partition's first batch.
   */
  nextOffset(busPartition: number): bigint | undefined;
  /** Drops a revoked partition's buffers unwritten: its new owner replays them from the committed offset. */
  release(busPartition: number): Promise<void>;
  /** Releases every partition but these: what a rebalance left this archiver. */
  retain(busPartitions: Iterable<number>): Promise<void>;
  stats(): { buffers: number; rows: number; bytes: number };
}

/** One (bus partition, source partition)'s rows in a buffer: a contiguous run of its positions. */
interface Segment {
  busPartition: number;
  /** The logs.raw partition the name's offsets are positions in; undefined: bus offsets. */
  sourcePartition: number | undefined;
  /** Range the file names for this segment (source positions, or bus offsets). */
  firstOffset: bigint;
  lastOffset: bigint;
  /** Bus offset of the segment's first row: the commit may not pass it while the buffer is unwritten. */
  firstBusOffset: bigint;
  rows: LogEvent[];
  /** Each row's position (source position, or bus offset), for the check before the write. */
  positions: bigint[];
}

interface Buffer {
  tenant: string;
  hour: number;
  segments: Map<string, Segment>;
  rows: number;
  bytes: number;
}

interface PartitionState {
  lastSeen: bigint | undefined;
  /** Greatest event time seen on the partition: hours ending well before it are over. */
  watermark: number;
  /** Last source position taken per logs.raw partition: one at or before it is a processor replay. */
  lastSource: Map<number, bigint>;
}

const MIB = 1024 * 1024;

export function createArchiveWriter(
  target: ArchiveTarget,
  options: ArchiveWriterOptions = {},
): ArchiveWriter {
  const maxRows = options.maxRows ?? 100_000;
  const maxBytes = options.maxBytes ?? 32 * MIB;
  const maxBufferedBytes = options.maxBufferedBytes ?? 128 * MIB;
  const graceMs = options.graceMs ?? 5 * 60_000;
  const flushConcurrency = options.flushConcurrency ?? 4;
  const partitions = new Map<number, PartitionState>();
  /** Open buffers; a tenant-hour has more than one when its partitions outnumber MAX_RANGES_PER_FILE. */
  const buffers = new Set<Buffer>();
  /** The buffer each (tenant, hour, bus partition, source partition) appends to. */
  const bufferOf = new Map<string, Buffer>();
  const archived: ArchivedOffsets | undefined =
    target.filesOfHour === undefined ? undefined : createArchivedOffsets(target.filesOfHour.bind(target));
  let bufferedBytes = 0;
  // One operation at a time: buffers are not touched by two flushes, and offsets stay in order.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = queue.then(operation, operation);
    queue = run.catch(() => undefined); // the caller gets the error; the queue only needs to move on
    return run;
  };

  const stateOf = (busPartition: number): PartitionState => {
    let state = partitions.get(busPartition);
    if (state === undefined) {
      state = { lastSeen: undefined, watermark: Number.NEGATIVE_INFINITY, lastSource: new Map() };
      partitions.set(busPartition, state);
    }
    return state;
  };

  const forget = (buffer: Buffer) => {
    buffers.delete(buffer);
    for (const segment of buffer.segments.values()) {
      const key = segmentKey(buffer.tenant, buffer.hour, segment.busPartition, segment.sourcePartition);
      if (bufferOf.get(key) === buffer) bufferOf.delete(key);
    }
    bufferedBytes -= buffer.bytes;
  };

  async function flush(buffer: Buffer): Promise<ArchiveFile[]> {
    const { tenant, hour } = buffer;
    // Sorted, so the same segments give the same names whatever order their partitions arrived in.
    const segments = [...buffer.segments.values()].sort(
      (a, b) => a.busPartition - b.busPartition || (a.sourcePartition ?? -1) - (b.sourcePartition ?? -1),
    );
    const files: ArchiveFile[] = [];
    for (const group of byNameLength(await unarchived(tenant, hour, segments))) {
      const [first, ...more] = group.map(rangeOf);
      files.push(
        await target.write(
          { tenant, hour, ...first, ...(more.length > 0 ? { more } : {}) },
          group.flatMap((segment) => segment.rows),
        ),
      );
    }
    // Only now is the buffer gone: a failed write keeps it, to be retried by the next trigger (which
    // writes the files that did succeed again, under the same names).
    forget(buffer);
    for (const r of segments)
      archived?.add(tenant, hour, r.busPartition, r.sourcePartition, r.firstOffset, r.lastOffset);
    return files;
  }

  /**
   * The segments' rows no file of the hour holds yet, listed right before the write. Another archiver
   * may have written some of them since this one buffered them: the partition's previous owner still
   * flushing after a rebalance, or its new owner when this one is the previous. A segment keeps its name's
   * range (what it leaves out is archived, which is all a range promises); one left empty is not written.
   */
  async function unarchived(tenant: string, hour: number, segments: Segment[]): Promise<Segment[]> {
    if (archived === undefined) return segments;
    await archived.refresh(tenant, hour);
    return segments.flatMap((segment) => {
      const kept = segment.positions.flatMap((position, i) =>
        archived.has(tenant, hour, segment.busPartition, segment.sourcePartition, position) ? [] : [i],
      );
      if (kept.length === segment.rows.length) return [segment];
      if (kept.length === 0) return [];
      return [
        {
          ...segment,
          rows: kept.map((i) => segment.rows[i]),
          positions: kept.map((i) => segment.positions[i]),
        },
      ];
    });
  }

  const flushEach = async (list: Buffer[]) => (await concurrently(list, flushConcurrency, flush)).flat();
  const allBuffers = () => [...buffers];
  const holds = (buffer: Buffer, busPartition: number) =>
    [...buffer.segments.values()].some((segment) => segment.busPartition === busPartition);
  /**
   * Over once every partition this writer reads has seen event time past the hour's end plus the grace
   * period: a tenant-hour's file then holds all of it, even while one partition is read ahead of another
   * (a catch-up). A partition gone quiet holds this back; flushDue closes the hour by processing time.
   */
  const over = (buffer: Buffer) => {
    const end = buffer.hour + HOUR_MS + graceMs;
    for (const state of partitions.values()) if (state.watermark < end) return false;
    return true;
  };

  /** Each event's time in ms, or undefined for an event handed to onInvalid (without it: throws). */
  function timed(records: readonly OffsetEvent[]) {
    return records.map((record) => {
      try {
        const { event } = record;
        checkEventFields(event);
        eventTimeMs(event.observed_ts, event.id); // only to reject it now rather than fail its file later
        return { ...record, ms: eventTimeMs(event.ts, event.id) };
      } catch (error) {
        if (options.onInvalid === undefined) throw error;
        options.onInvalid(record, error as Error);
        return { ...record, ms: undefined };
      }
    });
  }

  async function appendNow(busPartition: number, records: readonly OffsetEvent[]): Promise<ArchiveFile[]> {
    // A partition new to this writer (first batch, or handed back by a rebalance): its previous owner
    // may have written files of any hour since they were listed here, so every hour is listed again.
    if (!partitions.has(busPartition)) archived?.forgetBefore(Number.POSITIVE_INFINITY);
    const state = stateOf(busPartition);
    const fresh = timed(records.filter((r) => state.lastSeen === undefined || r.offset > state.lastSeen));
    const keys = fresh.flatMap((r) =>
      r.ms === undefined ? [] : [{ tenant: r.event.tenant, hour: hourStart(r.ms) }],
    );
    await archived?.load(keys);
    const written: ArchiveFile[] = [];
    for (const { event, offset, ms, source } of fresh) {
      // Seen means handled: buffered, rejected, or already in the archive (a replay). Marked before any
      // flush, so a failed flush followed by the batch delivered again does not buffer the event twice.
      state.lastSeen = offset;
      if (ms === undefined) continue;
      if (ms > state.watermark) state.watermark = ms;
      const hour = hourStart(ms);
      if (source !== undefined) {
        // The processor produces a source partition's events in its order, and again from an earlier
        // position only when it replays: a position at or before the last one taken is a copy.
        const last = state.lastSource.get(source.partition);
        if (last !== undefined && source.offset <= last) continue;
        state.lastSource.set(source.partition, source.offset);
      }
      const position = source?.offset ?? offset;
      if (archived?.has(event.tenant, hour, busPartition, source?.partition, position) === true) continue;
      const buffer = bufferFor(event.tenant, hour, busPartition, source?.partition);
      const segment = segmentOf(buffer, busPartition, source?.partition, position, offset);
      segment.rows.push(event);
      segment.positions.push(position);
      segment.lastOffset = position;
      buffer.rows++;
      const bytes = estimateBytes(event);
      buffer.bytes += bytes;
      bufferedBytes += bytes;
      if (buffer.rows >= maxRows || buffer.bytes >= maxBytes) written.push(...(await flush(buffer)));
    }
    written.push(...(await flushEach(allBuffers().filter(over))));
    for (
      let buffers = allBuffers();
      bufferedBytes > maxBufferedBytes && buffers.length > 0;
      buffers = allBuffers()
    ) {
      written.push(...(await flush(buffers.reduce((a, b) => (b.bytes > a.bytes ? b : a)))));
    }
    return written;
  }

  function bufferFor(
    tenant: string,
    hour: number,
    busPartition: number,
    sourcePartition: number | undefined,
  ): Buffer {
    const key = segmentKey(tenant, hour, busPartition, sourcePartition);
    let buffer = bufferOf.get(key);
    if (buffer !== undefined) return buffer;
    // Join an open buffer of the tenant-hour that can name one more range, else open one.
    for (const open of buffers)
      if (open.tenant === tenant && open.hour === hour && open.segments.size < MAX_RANGES_PER_FILE) {
        buffer = open;
        break;
      }
    if (buffer === undefined) {
      buffer = { tenant, hour, segments: new Map(), rows: 0, bytes: 0 };
      buffers.add(buffer);
    }
    bufferOf.set(key, buffer);
    return buffer;
  }

  function segmentOf(
    buffer: Buffer,
    busPartition: number,
    sourcePartition: number | undefined,
    position: bigint,
    busOffset: bigint,
  ): Segment {
    const key = `${busPartition}\u0000${sourcePartition ?? ''}`;
    let segment = buffer.segments.get(key);
    if (segment === undefined) {
      segment = {
        busPartition,
        sourcePartition,
        firstOffset: position,
        lastOffset: position,
        firstBusOffset: busOffset,
        rows: [],
        positions: [],
      };
      buffer.segments.set(key, segment);
    }
    return segment;
  }

  function release(busPartition: number): void {
    // Its segments leave the buffers they share with other partitions; a buffer left empty closes.
    for (const buffer of allBuffers()) {
      for (const [key, segment] of buffer.segments) {
        if (segment.busPartition !== busPartition) continue;
        const bytes = segment.rows.reduce((sum, event) => sum + estimateBytes(event), 0);
        buffer.segments.delete(key);
        buffer.rows -= segment.rows.length;
        buffer.bytes -= bytes;
        bufferedBytes -= bytes;
        bufferOf.delete(segmentKey(buffer.tenant, buffer.hour, busPartition, segment.sourcePartition));
      }
      if (buffer.segments.size === 0) buffers.delete(buffer);
    }
    partitions.delete(busPartition);
  }

  function nextOffset(busPartition: number): bigint | undefined {
    const state = partitions.get(busPartition);
    if (state?.lastSeen === undefined) return undefined;
    let first = state.lastSeen + 1n;
    for (const buffer of buffers)
      for (const segment of buffer.segments.values())
        if (segment.busPartition === busPartition && segment.firstBusOffset < first)
          first = segment.firstBusOffset;
    return first;
  }

  return {
    append: (busPartition, records) => exclusive(() => appendNow(busPartition, records)),

    flushDue: (now) =>
      exclusive(async () => {
        // Offsets of hours long over are reloaded from the archive should a replay reach them again.
        archived?.forgetBefore(hourStart(now - graceMs) - 2 * HOUR_MS);
        return flushEach(allBuffers().filter((b) => b.hour + HOUR_MS + graceMs <= now));
      }),

    flushAll: (busPartition) =>
      exclusive(() =>
        flushEach(allBuffers().filter((b) => busPartition === undefined || holds(b, busPartition))),
      ),

    nextOffset,

    committableOffset(busPartition) {
      const next = nextOffset(busPartition);
      return next === undefined || next === 0n ? undefined : next - 1n;
    },

    release: (busPartition) => exclusive(async () => release(busPartition)),

    retain: (busPartitions) =>
      exclusive(async () => {
        const kept = new Set(busPartitions);
        for (const busPartition of [...partitions.keys()]) if (!kept.has(busPartition)) release(busPartition);
      }),

    stats() {
      const buffers = allBuffers();
      return {
        buffers: buffers.length,
        rows: buffers.reduce((sum, b) => sum + b.rows, 0),
        bytes: bufferedBytes,
      };
    },
  };
}

function rangeOf({ busPartition, sourcePartition, firstOffset, lastOffset }: Segment): ArchiveRange {
  return {
    busPartition,
    ...(sourcePartition === undefined ? {} : { sourcePartition }),
    firstOffset,
    lastOffset,
  };
}

/** Segments in groups whose file name fits MAX_FILE_NAME_BYTES (usually one group). */
function byNameLength(segments: readonly Segment[]): Segment[][] {
  const groups: Segment[][] = [];
  let current: Segment[] = [];
  for (const segment of segments) {
    if (current.length > 0 && fileName([...current, segment].map(rangeOf)).length > MAX_FILE_NAME_BYTES) {
      groups.push(current);
      current = [];
    }
    current.push(segment);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function segmentKey(
  tenant: string,
  hour: number,
  busPartition: number,
  sourcePartition: number | undefined,
): string {
  return `${hour}\u0000${tenant}\u0000${busPartition}\u0000${sourcePartition ?? ''}`;
}

/** About the event's JSON size, without serializing it: the memory bound needs a cheap number, not an exact one. */
function estimateBytes(event: LogEvent): number {
  let bytes = 200 + event.id.length + event.message.length + event.service.length;
  bytes += (event.host?.length ?? 0) + (event.correlation_id?.length ?? 0) + (event.trace_id?.length ?? 0);
  for (const key in event.attrs) {
    const value = event.attrs[key];
    bytes += key.length + 6 + (typeof value === 'string' ? value.length : 8);
  }
  return bytes;
}
