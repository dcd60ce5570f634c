import { parseTimestamp, TimeInvalidError } from '../../../core/time/index.ts';
import { ArchiveRowsError } from './errors.ts';

/**
 * Event times as the archive stores them: an INT64 microsecond timestamp (what Parquet readers sort,
 * compare and prune on), plus the original text only when the microseconds cannot reproduce it.
 *
 * Why microseconds and not nanoseconds: INT64 nanoseconds end in 2262, and a log line from a clock gone
 * wrong must not stop the archiver; microseconds cover every year core/time accepts. The rare text that
 * microseconds cannot give back exactly (nanosecond digits, a `+02:00` offset, `.100000` with trailing
 * zeros) is kept verbatim beside it, so every event reads back equal to what was written.
 */

export interface StoredTime {
  /** Milliseconds since the epoch, rounded down. */
  ms: number;
  /** Nanoseconds within the millisecond, 0–999 999: with `ms`, the sort key. */
  nanos: number;
  micros: bigint;
  /** The original text when `formatMicros(micros)` would differ from it; null otherwise. */
  text: string | null;
}

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d{1,9}))?Z$/;

/** Reads an event's `ts` or `observed_ts`; throws ArchiveRowsError when it is not a time at all. */
export function storeTime(text: string, eventId?: string): StoredTime {
  return readCanonical(text) ?? readOther(text, eventId);
}

/** The common shape, `2026-11-23T12:00:00.123Z` (or with 0–9 digits), without the general parser. */
function readCanonical(text: string): StoredTime | null {
  const match = CANONICAL.exec(text);
  if (match === null) return null;
  const hour = hourStartMs(text.slice(0, 13));
  const minutes = twoDigits(text, 14);
  const seconds = twoDigits(text, 17);
  // Leap seconds and other out-of-range fields are the general parser's to accept or reject.
  if (hour === null || minutes > 59 || seconds > 59) return null;
  const fraction = match[1] ?? '';
  const padded = fraction.padEnd(9, '0');
  const ms = hour + minutes * 60_000 + seconds * 1000 + Number(padded.slice(0, 3));
  const nanos = Number(padded.slice(3));
  // restoreTime writes 3 digits for whole milliseconds and 6 otherwise: only those spellings need no text.
  const canonical = fraction.length === 3 || (fraction.length === 6 && nanos !== 0);
  return { ms, nanos, micros: microsOf(ms, nanos), text: canonical ? null : text };
}

// Events of one file share their hour, so its start is computed (and validated) once, not per event.
let cachedHour = '';
let cachedHourMs = 0;

/** Start of `YYYY-MM-DDTHH` in ms, or null for a date that does not exist (Date.parse rolls 02-30 over). */
function hourStartMs(head: string): number | null {
  if (head === cachedHour) return cachedHourMs;
  const ms = Date.parse(`${head}:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 13) !== head) return null;
  cachedHour = head;
  cachedHourMs = ms;
  return ms;
}

function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

/** Offsets, epoch numbers and other spellings core/time accepts: always kept as text. */
function readOther(text: string, eventId: string | undefined): StoredTime {
  try {
    const parsed = parseTimestamp(text);
    const fraction = parsed.iso.slice(20, -1).padEnd(9, '0');
    const nanos = Number(fraction.slice(3));
    return { ms: parsed.ms, nanos, micros: microsOf(parsed.ms, nanos), text };
  } catch (error) {
    if (error instanceof TimeInvalidError) throw new ArchiveRowsError(error.message, eventId);
    throw error;
  }
}

function microsOf(ms: number, nanos: number): bigint {
  return BigInt(ms) * 1000n + BigInt(Math.floor(nanos / 1000));
}

/** The text a stored time reads back as: the kept original, or the canonical form of the microseconds. */
export function restoreTime(micros: bigint, text: string | null | undefined): string {
  if (text !== null && text !== undefined) return text;
  const sub = Number(((micros % 1000n) + 1000n) % 1000n);
  const ms = microsToMs(micros);
  const iso = isoMs(ms);
  return sub === 0 ? iso : `${iso.slice(0, -1)}${String(sub).padStart(3, '0')}Z`;
}

// Rows of one file share their hour: its `YYYY-MM-DDTHH:` is formatted once, not per row.
let formattedHour = Number.NaN;
let formattedHourText = '';

/** Like `new Date(ms).toISOString()`, at a fraction of the cost for times within one hour. */
function isoMs(ms: number): string {
  const hour = Math.floor(ms / 3_600_000) * 3_600_000;
  if (hour !== formattedHour) {
    formattedHour = hour;
    formattedHourText = new Date(hour).toISOString().slice(0, 14);
  }
  const rest = ms - hour;
  const minutes = Math.floor(rest / 60_000);
  const seconds = Math.floor((rest % 60_000) / 1000);
  return `${formattedHourText}${pad2(minutes)}:${pad2(seconds)}.${String(rest % 1000).padStart(3, '0')}Z`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Just the milliseconds of an event time: which hour file an event belongs to. */
export function eventTimeMs(text: string, eventId?: string): number {
  return storeTime(text, eventId).ms;
}

/** Milliseconds (floored) of a stored microsecond time. */
export function microsToMs(micros: bigint): number {
  const ms = micros / 1000n;
  return Number(micros < 0n && ms * 1000n !== micros ? ms - 1n : ms);
}
