import { daysFromCivil, daysInMonth, MAX_MS, MIN_MS } from './civil.ts';
import { TimeInvalidError } from './errors.ts';

/** An instant read from RFC 3339 text: whole milliseconds plus the sub-millisecond rest, both UTC. */
export interface ParsedRfc3339 {
  /** Milliseconds since the epoch, rounded down. */
  ms: number;
  /** Nanoseconds within the second, 0..999_999_999 (keeps precision that `ms` drops). */
  nanos: number;
  /** Fraction digits the input carried (0..9). */
  fractionDigits: number;
}

/**
 * Lenient RFC 3339: `T`, `t` or a space between date and time; seconds and fraction optional; fraction
 * digits beyond 9 are truncated (ns is the finest precision kept); zone `Z`, `±HH:MM`, `±HHMM`, `±HH`,
 * or none (then UTC, because log lines often omit it and rejecting them would drop events);
 * a date alone means midnight UTC. Seconds are 00–59: a leap second (60) is refused.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

export function parseRfc3339(text: string): ParsedRfc3339 {
  const m = RFC3339.exec(text);
  if (m === null)
    throw new TimeInvalidError(text, 'expected an RFC 3339 timestamp like 2026-11-23T12:00:00.123Z');
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12) throw new TimeInvalidError(text, `month ${m[2]} is out of range`);
  if (day < 1 || day > daysInMonth(year, month))
    throw new TimeInvalidError(text, `day ${m[3]} is out of range`);
  if (hour > 23 || minute > 59 || second > 59)
    throw new TimeInvalidError(text, 'time of day is out of range');
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offHours = Number(m[10]);
    const offMinutes = m[11] === undefined ? 0 : Number(m[11]);
    if (offHours > 23 || offMinutes > 59) throw new TimeInvalidError(text, 'zone offset is out of range');
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const fraction = (m[7] ?? '').slice(0, 9);
  const nanos = fraction === '' ? 0 : Number(fraction.padEnd(9, '0'));
  const secondsMs =
    daysFromCivil(year, month, day) * 86_400_000 +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
  const ms = secondsMs + Math.floor(nanos / 1_000_000);
  if (ms < MIN_MS || ms > MAX_MS) throw new TimeInvalidError(text, 'outside the years 0000–9999 in UTC');
  return { ms, nanos, fractionDigits: fraction.length };
}
