import { daysInMonth } from '../time/civil.ts';
import { parseTimestamp } from '../time/timestamp.ts';

/**
 * The event time `value` stands for, as the ISO text `parseTimestamp` gives, or null when it cannot be
 * read. Times already written the way events keep them (`2026-11-23T12:00:00.123Z`: UTC, `T`, `Z`,
 * 3 to 9 fraction digits) come back as they are after a check of their digits and ranges, and whole
 * epoch seconds and milliseconds go through Date: most JSON loggers write one of these, and parsing and
 * reformatting them cost a fifth of normalizing. Every other form takes parseTimestamp, which these
 * shortcuts agree with exactly (core/event/isoEventTime.test.ts compares them).
 */
export function eventTimeIso(value: string | number): string | null {
  if (typeof value === 'string') {
    const canonical = canonicalUtc(value);
    if (canonical !== undefined) return canonical;
  } else if (Number.isInteger(value) && value >= 0 && value < 1e14) {
    // parseTimestamp's magnitudes: below 1e11 seconds, below 1e14 milliseconds (years 1973–5138).
    return new Date(value < 1e11 ? value * 1000 : value).toISOString();
  }
  try {
    return parseTimestamp(value).iso;
  } catch {
    return null; // the caller keeps the raw value and falls back to the observed time
  }
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff…]Z` with a valid date and time and no fraction or 3–9 fraction digits:
 * its ISO text (the value itself, or with `.000` added); undefined for anything else.
 */
function canonicalUtc(s: string): string | undefined {
  const n = s.length;
  if (n < 20 || n > 30 || s.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  // A non-digit anywhere makes its field NaN, and every comparison with NaN fails.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) {
    return undefined;
  }
  if (hour < 0 || minute < 0 || second < 0 || day > daysInMonth(year, month)) return undefined;
  if (n === 20) return `${s.slice(0, 19)}.000Z`;
  const fraction = n - 21;
  if (s.charCodeAt(19) !== 46 /* . */ || fraction < 3 || fraction > 9) return undefined;
  for (let i = 20; i < n - 1; i++) if (Number.isNaN(digit(s, i))) return undefined;
  return s;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

function two(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
}
