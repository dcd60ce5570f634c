import type { LogEvent } from '../../core/event/types.ts';
import type { Archive, ArchiveFile } from '../../core/ports/archive.ts';
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
 * their hour (the partition path prunes by time and tenant), read one hour at a time in the requested
 * order, and reading stops once a page is full: no later hour can hold an earlier hit. Events that a
 * replay archived twice are returned once (by id).
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
  const hours = [...byHour.keys()].sort((a, b) => (q.order === 'asc' ? a - b : b - a));
  const sign = q.order === 'asc' ? 1 : -1;
  const afterEvent = q.after === undefined ? undefined : ({ ts: q.after.ts, id: q.after.id } as LogEvent);
  const seen = new Set<string>();
  const hits: LogEvent[] = [];
  let scanned = 0;
  for (let h = 0; h < hours.length; h++) {
    const hour = hours[h];
    if (hour + HOUR <= q.range.from || hour >= q.range.to) continue;
    const found: LogEvent[] = [];
    for (const file of byHour.get(hour)!) {
      for (const e of await archive.read(file)) {
        scanned++;
        const ms = Date.parse(e.ts);
        if (ms < q.range.from || ms >= q.range.to) continue;
        if (q.tenant !== null && e.tenant !== q.tenant) continue;
        if (q.services !== undefined && !q.services.includes(e.service)) continue;
        if (afterEvent !== undefined && sign * compareEvents(e, afterEvent) <= 0) continue;
        if (seen.has(e.id) || !q.matches(e)) continue;
        seen.add(e.id);
        found.push(e);
      }
    }
    found.sort((a, b) => sign * compareEvents(a, b));
    hits.push(...found);
    if (hits.length >= q.limit) {
      return {
        hits: hits.slice(0, q.limit),
        complete: h === hours.length - 1 && hits.length === q.limit,
        scanned,
      };
    }
  }
  return { hits, complete: true, scanned };
}
