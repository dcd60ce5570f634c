import type { LogEvent } from '../../core/event/types.ts';
import type { Archive, ArchiveBlock, ArchiveFile } from '../../core/ports/archive.ts';
import type { SearchCursor, TimeRange } from '../../core/ports/searchStore.ts';

const HOUR = 3_600_000;

export interface ArchiveSearch {
  tenant: string | null;
  services?: string[];
  matches: (event: LogEvent) => boolean;
  range: TimeRange;
  order: 'asc' | 'desc';
  limit: number;
  after?: SearchCursor;
}

/** (ts, id) order, the one both search stores page by. */
export function compareEvents(a: LogEvent, b: LogEvent): number {
  const ta = Date.parse(a.ts);
  const tb = Date.parse(b.ts);
  if (ta !== tb) return ta - tb;
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Searches the Parquet archive for the part of a range older than hot retention. Files are listed by
 * their hour (the partition path prunes by time and tenant) and hours are taken in the requested order.
 * Within an hour only blocks (row groups) are decoded, nearest first, and only while one can still hold a
 * hit for this page: a block whose time span lies past the page's last hit, or behind the cursor, is never
 * read. So a page resumes where the previous one stopped (the cursor's time and id) and reads about one
 * block per file, however large the hour. Events that an older archive holds twice are returned once.
 */
export async function searchArchive(
  archive: Archive,
  q: ArchiveSearch,
): Promise<{ hits: LogEvent[]; complete: boolean; scanned: number }> {
  const files = await archive.list(q.range, q.tenant === null ? undefined : { tenant: q.tenant });
  const byHour = new Map<number, ArchiveFile[]>();
  for (const f of files) {
    if (q.tenant !== null && f.tenant !== q.tenant) continue; // defense in depth on top of the listing
    const list = byHour.get(f.hour) ?? [];
    list.push(f);
    byHour.set(f.hour, list);
  }
  const desc = q.order === 'desc';
  const hours = [...byHour.keys()].sort((a, b) => (desc ? b - a : a - b));
  const sign = desc ? -1 : 1;
  const after = q.after === undefined ? undefined : ({ ts: q.after.ts, id: q.after.id } as LogEvent);
  // The cursor narrows the range to the part not yet paged through (its own millisecond included: ties
  // are decided by id).
  const range = narrowed(q.range, after, desc);
  const page = createPage(q.limit, sign);
  let scanned = 0;
  let more = false;
  for (let h = 0; h < hours.length; h++) {
    const hour = hours[h];
    if (hour + HOUR <= range.from || hour >= range.to) continue;
    if (page.full()) {
      more = true; // a later hour cannot hold an earlier hit
      break;
    }
    const blocks: Array<{ file: ArchiveFile; block: ArchiveBlock }> = [];
    for (const file of byHour.get(hour) ?? []) {
      for (const block of await archive.blocks(file))
        if (block.maxMs >= range.from && block.minMs < range.to) blocks.push({ file, block });
    }
    // Nearest first: the block that may hold the page's first hits, then outwards.
    // (Compared, not subtracted: a block without statistics has an infinite bound.)
    const bound = (x: { block: ArchiveBlock }) => (desc ? -x.block.maxMs : x.block.minMs);
    blocks.sort((a, b) => (bound(a) < bound(b) ? -1 : bound(a) > bound(b) ? 1 : 0));
    for (const { file, block } of blocks) {
      if (page.full() && !page.mayImprove(desc ? block.maxMs : block.minMs)) {
        more = true; // this block and every later one lie past the page's last hit
        break;
      }
      for (const e of await archive.readBlock(file, block, range)) {
        scanned++;
        if (q.tenant !== null && e.tenant !== q.tenant) continue;
        if (q.services !== undefined && !q.services.includes(e.service)) continue;
        if (after !== undefined && sign * compareEvents(e, after) <= 0) continue;
        if (q.matches(e)) page.offer(e);
      }
    }
  }
  const hits = page.hits();
  return { hits, complete: !more && !page.overflowed(), scanned };
}

function narrowed(range: TimeRange, after: LogEvent | undefined, desc: boolean): TimeRange {
  if (after === undefined) return range;
  const ms = Date.parse(after.ts);
  return desc
    ? { from: range.from, to: Math.min(range.to, ms + 1) }
    : { from: Math.max(range.from, ms), to: range.to };
}

/** The best `limit` events seen, in page order, each id once. */
function createPage(limit: number, sign: number) {
  let kept: LogEvent[] = [];
  let unsorted = 0;
  let dropped = false;
  const order = (a: LogEvent, b: LogEvent) => sign * compareEvents(a, b);
  const settle = () => {
    if (unsorted === 0) return;
    kept.sort(order);
    const unique: LogEvent[] = [];
    for (const e of kept)
      if (unique.at(-1)?.id !== e.id || order(unique.at(-1) as LogEvent, e) !== 0) unique.push(e);
    if (unique.length > limit) dropped = true;
    kept = unique.length > limit ? unique.slice(0, limit) : unique;
    unsorted = 0;
  };
  return {
    offer(e: LogEvent) {
      kept.push(e);
      // Sorted in bulk, not on every event: a block can add tens of thousands.
      if (++unsorted >= Math.max(limit, 4096)) settle();
    },
    full() {
      settle();
      return kept.length >= limit;
    },
    /** Whether an event at `boundMs` could still enter a full page (same millisecond: the id decides). */
    mayImprove(boundMs: number) {
      const last = kept.at(-1) as LogEvent;
      return sign * (boundMs - Date.parse(last.ts)) <= 0;
    },
    overflowed() {
      settle();
      return dropped;
    },
    hits() {
      settle();
      return kept;
    },
  };
}
