import type { LogEvent } from '../../../../core/event/types.ts';
import { parseTimestamp } from '../../../../core/time/timestamp.ts';
import type { CursorPosition } from '../../../sinks/search/cursor.ts';
import { OPENSEARCH_FIELDS } from './compileOpenSearch.ts';

/**
 * The order of search hits in OpenSearch: event time (ns), then `search.tiebreak`, a 53-bit hash of the
 * event id stored as a long. A numeric second key lets Lucene skip documents that cannot make the page;
 * the keyword `id` as second key does not, and cost 3–5× more per newest-first search over a day
 * (docs/benchmarks.md, bench:query).
 *
 * A hash can collide, so pages stay exact by checking: a page is taken from the fast order only when its
 * events' (ts, tiebreak) keys all differ. Otherwise the page is asked again in the exact order (ts,
 * tiebreak, id). The fast order equals the exact one wherever keys differ, so the two can alternate
 * from page to page. A page after a cursor asks from the cursor's own key inclusive, which shows
 * whether other events share it.
 */
export const TIEBREAK_FIELD = 'search.tiebreak';

/** How an id becomes its tiebreak; tests pass a colliding one to drive the exact order. */
export type Tiebreak = (id: string) => number;

/** cyrb53: two 32-bit multiply-xorshift lanes folded into 53 bits (a JSON-safe integer, a Java long). */
export function idTiebreak(id: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (h2 & 0x1fffff) + (h1 >>> 0);
}

export function sortSpec(order: 'asc' | 'desc', exact: boolean): Array<Record<string, unknown>> {
  // unmapped_type: an index made by an older template (no tiebreak field) still answers.
  const sort: Array<Record<string, unknown>> = [
    { [OPENSEARCH_FIELDS.ts]: { order } },
    { [TIEBREAK_FIELD]: { order, unmapped_type: 'long' } },
  ];
  if (exact) sort.push({ id: { order } });
  return sort;
}

/**
 * search_after for a page after `after`. The fast order starts at the cursor's own key (one step before
 * it in page order), so the cursor's event comes back first and any other event sharing its key shows.
 * date_nanos reads the normalized RFC 3339 text at full precision (a JSON number would not fit a double).
 */
export function searchAfter(
  after: CursorPosition,
  order: 'asc' | 'desc',
  exact: boolean,
  tiebreakOf: Tiebreak = idTiebreak,
): unknown[] {
  const tiebreak = tiebreakOf(after.id);
  if (exact) return [after.iso, tiebreak, after.id];
  return [after.iso, order === 'asc' ? tiebreak - 1 : tiebreak + 1];
}

/** Hits the fast query should fetch: the page, one more to know whether a next page exists, and the cursor's event. */
export function fastSize(limit: number, after: CursorPosition | undefined): number {
  return limit + 1 + (after === undefined ? 0 : 1);
}

/**
 * The page's hits (up to limit + 1) from the fast query's, or null when the exact order must decide:
 * another event shares the cursor's key, or two of the page's events share one (their order would be
 * Lucene's document order, which a merge can change).
 */
export function fastPage(
  hits: LogEvent[],
  after: CursorPosition | undefined,
  limit: number,
  tiebreakOf: Tiebreak = idTiebreak,
): LogEvent[] | null {
  const keyOf = (event: LogEvent) => `${parseTimestamp(event.ts).iso} ${tiebreakOf(event.id)}`;
  let start = 0;
  if (after !== undefined) {
    const cursorKey = `${after.iso} ${tiebreakOf(after.id)}`;
    while (start < hits.length && keyOf(hits[start]) === cursorKey) start++;
    if (start > 1 || (start === 1 && hits[0].id !== after.id)) return null;
  }
  const page = hits.slice(start, start + limit + 1);
  let previous = '';
  for (const event of page) {
    const key = keyOf(event);
    if (key === previous) return null;
    previous = key;
  }
  return page;
}
