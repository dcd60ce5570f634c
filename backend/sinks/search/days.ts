import type { TimeRange } from '../../../core/ports/searchStore.ts';

/**
 * UTC days, the unit both stores partition by: retention drops a whole day at a time, and a search
 * opens only the days its range overlaps. A day is numbered by whole days since the epoch.
 */
export const DAY_MS = 86_400_000;

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `2026-11-23` (or with another separator, `2026.11.23` for OpenSearch index names). */
export function dayLabel(day: number, separator = '-'): string {
  const iso = new Date(day * DAY_MS).toISOString();
  return separator === '-' ? iso.slice(0, 10) : iso.slice(0, 10).replaceAll('-', separator);
}

/** Inverse of dayLabel; null for anything that is not a real date written that way. */
export function parseDayLabel(text: string, separator = '-'): number | null {
  const parts = text.split(separator);
  if (
    parts.length !== 3 ||
    !/^\d{4}$/.test(parts[0]) ||
    !/^\d{2}$/.test(parts[1]) ||
    !/^\d{2}$/.test(parts[2])
  )
    return null;
  // Not Date.UTC: it reads years 0–99 as 1900–1999, so a day in year 0001 would never match its label.
  const ms = Date.parse(`${parts[0]}-${parts[1]}-${parts[2]}T00:00:00Z`);
  const day = dayOf(ms);
  return Number.isFinite(ms) && dayLabel(day, separator) === text ? day : null;
}

/** First and last day overlapping [from, to), or null when the range is empty. */
export function daysOverlapping(range: TimeRange): { first: number; last: number } | null {
  if (!(range.from < range.to)) return null;
  return { first: dayOf(range.from), last: dayOf(range.to - 1) };
}

/** Retention cuts whole days: a day goes only when all of it lies before the cut-off. */
export function dayEndsBy(day: number, cutoffMs: number): boolean {
  return (day + 1) * DAY_MS <= cutoffMs;
}
