export type TimeZone = 'local' | 'utc';

export interface BsdClock {
  /** The current time (ms); the year of a BSD timestamp is inferred from it. */
  now: () => number;
  /** How to read the zone-less BSD time: the agent's own zone for its own machine's files. */
  timeZone: TimeZone;
}

// biome-ignore format: a table
const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
/** `Mmm dd hh:mm:ss` is fixed width (the day space-padded), RFC 3164 §4.1.2. */
export const BSD_TIME_LENGTH = 15;
const MINUTE_LENGTH = 12; // `Mmm dd hh:mm`
const DAY_MS = 86_400_000;
/** How long a computed minute is reused before the year is inferred again from a fresh now. */
const REUSE_MS = 60_000;

/**
 * Reads `Nov 23 12:00:04` at `start` into RFC 3339 UTC text, or undefined when it is not a valid time.
 * The year is missing: it is the latest of next, this and last year that puts the time no more than a
 * day (to the minute) ahead of now: a December line read in January is last year's, a `Jan  1` line
 * read just before midnight on Dec 31 next year's, and `Feb 29` the last leap year's.
 *
 * Zone offsets are whole minutes, so everything but the seconds is computed once per minute of log
 * time and reused for the lines of that minute: Date objects per line made this parser four times
 * slower than the others.
 */
export function createBsdTimeReader(clock: BsdClock): (line: string, start: number) => string | undefined {
  const utc = clock.timeZone === 'utc';
  let minuteKey = '';
  let computedAt = Number.NEGATIVE_INFINITY;
  let prefix = ''; // `2026-11-23T12:00` in UTC

  return (line, start) => {
    if (!hasBsdShape(line, start)) return undefined;
    const second = twoDigits(line, start + 13);
    if (second > 59) return undefined;
    const now = clock.now();
    const key = line.slice(start, start + MINUTE_LENGTH);
    if (key !== minuteKey || now - computedAt >= REUSE_MS || now < computedAt) {
      const computed = minuteIso(line, start, now, utc);
      if (computed === undefined) return undefined;
      minuteKey = key;
      computedAt = now;
      prefix = computed;
    }
    return `${prefix}:${line.slice(start + 13, start + 15)}Z`;
  };
}

function minuteIso(line: string, start: number, now: number, utc: boolean): string | undefined {
  const month = MONTHS[line.slice(start, start + 3)];
  const dayTens = line.charCodeAt(start + 4);
  const day = (dayTens === 32 ? 0 : dayTens - 48) * 10 + (line.charCodeAt(start + 5) - 48);
  const hour = twoDigits(line, start + 7);
  const minute = twoDigits(line, start + 10);
  if (month === undefined || day < 1 || hour > 23 || minute > 59) return undefined;
  const nowDate = new Date(now);
  const year = utc ? nowDate.getUTCFullYear() : nowDate.getFullYear();
  // Latest first: a `Jan  1 00:00:10` line read at 23:59:30 on Dec 31 (clocks differ) is next year's.
  for (let y = year + 1; y >= year - 1; y--) {
    const ms = minuteMs(utc, y, month, day, hour, minute);
    if (ms > now + DAY_MS) continue;
    const date = new Date(ms);
    // Date rolls `Nov 31` (or Feb 29 of a common year) over into the next month; not a day of this year.
    if ((utc ? date.getUTCDate() : date.getDate()) !== day) continue;
    return date.toISOString().slice(0, 16);
  }
  return undefined;
}

function minuteMs(
  utc: boolean,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): number {
  return utc ? Date.UTC(year, month, day, hour, minute) : new Date(year, month, day, hour, minute).getTime();
}

function hasBsdShape(line: string, i: number): boolean {
  return (
    line.length >= i + BSD_TIME_LENGTH &&
    isUpper(line.charCodeAt(i)) &&
    isLower(line.charCodeAt(i + 1)) &&
    isLower(line.charCodeAt(i + 2)) &&
    line.charCodeAt(i + 3) === 32 &&
    (line.charCodeAt(i + 4) === 32 || isDigit(line.charCodeAt(i + 4))) &&
    isDigit(line.charCodeAt(i + 5)) &&
    line.charCodeAt(i + 6) === 32 &&
    isDigit(line.charCodeAt(i + 7)) &&
    isDigit(line.charCodeAt(i + 8)) &&
    line.charCodeAt(i + 9) === 58 &&
    isDigit(line.charCodeAt(i + 10)) &&
    isDigit(line.charCodeAt(i + 11)) &&
    line.charCodeAt(i + 12) === 58 &&
    isDigit(line.charCodeAt(i + 13)) &&
    isDigit(line.charCodeAt(i + 14))
  );
}

function twoDigits(line: string, i: number): number {
  return (line.charCodeAt(i) - 48) * 10 + (line.charCodeAt(i + 1) - 48);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
