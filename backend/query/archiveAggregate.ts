import type { LogEvent } from '../../core/event/types.ts';
import type { Archive, ArchiveBlock, ArchiveFile } from '../../core/ports/archive.ts';
import type { TimeRange } from '../../core/ports/searchStore.ts';
import {
  type AggregatePartial,
  type AggregatePlan,
  createAccumulator,
} from '../../core/query/aggregate/index.ts';

export interface ArchiveAggregate {
  tenant: string | null;
  services?: string[];
  matches: (event: LogEvent) => boolean;
  range: TimeRange;
  plan: AggregatePlan;
  signal?: AbortSignal;
  /** Called after each file with the files done so far and in all. */
  progress?: (done: number, total: number) => void;
}

export interface ArchiveAggregateResult {
  partial: AggregatePartial;
  files: number;
  /** Row groups decoded, and skipped because their time span lies outside the range. */
  blocks: number;
  prunedBlocks: number;
  rows: number;
}

/** Files read at once: object stores answer in tens of ms, so a few in flight keep the CPU busy. */
const CONCURRENT_FILES = 4;

/**
 * Aggregates the archive's part of a range with the reference accumulator: files are listed by their
 * hour (the partition path prunes by tenant and time), and of each file only the row groups whose time
 * span meets the range are decoded (pruning by the footer's statistics).
 */
export async function aggregateArchive(
  archive: Archive,
  q: ArchiveAggregate,
): Promise<ArchiveAggregateResult> {
  const listed = await archive.list(q.range, q.tenant === null ? undefined : { tenant: q.tenant });
  // An event is archived in its own tenant-hour, so a replayed copy of it lies in the same hour:
  // deduplicating by id within each hour is exact and keeps only one hour's ids in memory.
  const hours = new Map<string, ArchiveFile[]>();
  for (const f of listed) {
    if (q.tenant !== null && f.tenant !== q.tenant) continue; // defense in depth, as archiveSearch does
    const key = `${f.tenant}\u0000${f.hour}`;
    hours.set(key, [...(hours.get(key) ?? []), f]);
  }
  const groups = [...hours.values()];
  const total = listed.length;
  const accumulator = createAccumulator(q.plan);
  const result: ArchiveAggregateResult = {
    partial: new Map(),
    files: 0,
    blocks: 0,
    prunedBlocks: 0,
    rows: 0,
  };
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++];
      const seen = new Set<string>();
      const add = (event: LogEvent) => {
        if (seen.has(event.id)) return;
        seen.add(event.id);
        accumulator.add(event);
      };
      for (const file of group) {
        q.signal?.throwIfAborted();
        await aggregateFile(archive, file, q, add, result);
        q.progress?.(++result.files, total);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_FILES, groups.length) }, worker));
  result.partial = accumulator.partial();
  return result;
}

async function aggregateFile(
  archive: Archive,
  file: ArchiveFile,
  q: ArchiveAggregate,
  add: (event: LogEvent) => void,
  result: ArchiveAggregateResult,
): Promise<void> {
  const blocks: ArchiveBlock[] = await archive.blocks(file);
  for (const block of blocks) {
    if (block.maxMs < q.range.from || block.minMs >= q.range.to) {
      result.prunedBlocks++;
      continue;
    }
    q.signal?.throwIfAborted();
    result.blocks++;
    for (const event of await archive.readBlock(file, block, q.range)) {
      result.rows++;
      if (q.tenant !== null && event.tenant !== q.tenant) continue;
      if (q.services !== undefined && !q.services.includes(event.service)) continue;
      if (q.matches(event)) add(event);
    }
  }
}
