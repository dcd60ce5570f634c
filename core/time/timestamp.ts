import { MAX_MS } from './civil.ts';
import { TimeInvalidError } from './errors.ts';
import { type ParsedRfc3339, parseRfc3339 } from './rfc3339.ts';

/** An event time, normalized: milliseconds for ordering and ranges, ISO text keeping the input's precision. */
export interface Timestamp {
  /** Milliseconds since the epoch, rounded down (sub-millisecond precision lives only in `iso`). */
  ms: number;
  /** UTC, `Z` suffix, at least 3 and at most 9 fraction digits: as many as the input carried. */
  iso: string;
}

/**
 * Epoch numbers are told apart by the magnitude of their integer part, the convention log tools share:
 * below 1e11 seconds (1e11 s is the year 5138), below 1e14 milliseconds, below 1e17 microseconds,
 * otherwise nanoseconds. So a millisecond value before 1973-03-03 would be read as seconds; no real
 * log line is that old.
 */
const EPOCH_UNITS: ReadonlyArray<{ below: bigint; digits: number }> = [
  { below: 10n ** 11n, digits: 0 },
  { below: 10n ** 14n, digits: 3 },
  { below: 10n ** 17n, digits: 6 },
];
const NANOS_DIGITS = 9;
const EPOCH_DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Reads an event time: RFC 3339 text (see parseRfc3339), or an epoch in seconds, ms, µs or ns
 * (by magnitude, see EPOCH_UNITS) given as a number or as a string of digits with an optional fraction.
 * Throws TimeInvalidError (code 'time_invalid').
 */
export function parseTimestamp(value: string | number): Timestamp {
  const instant = readInstant(value);
  // Text already in the form formatIso writes (every stored event's ts) is its own ISO text: the indexer
  // reads one per event, and building it again costs more than the parse.
  const iso =
    typeof value === 'string' && CANONICAL_ISO.test(value)
      ? value
      : formatIso(instant.ms, instant.nanos, instant.fractionDigits);
  return { ms: instant.ms, iso };
}

/** What formatIso writes for the years 0000–9999 (those parseRfc3339 accepts). */
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3,9}Z$/;

/**
 * Just the milliseconds of parseTimestamp, without building the ISO text: for hot paths such as
 * evaluating `ts` terms against every event.
 */
export function timestampMs(value: string | number): number {
  return readInstant(value).ms;
}

function readInstant(value: string | number): ParsedRfc3339 {
  if (typeof value === 'number') return readEpochNumber(value);
  const text = value.trim();
  const epoch = EPOCH_DECIMAL.exec(text);
  return epoch !== null ? readEpochDecimal(text, epoch[1], epoch[2] ?? '') : parseRfc3339(text);
}

function readEpochNumber(value: number): ParsedRfc3339 {
  const text = String(value);
  if (!Number.isFinite(value) || value < 0)
    throw new TimeInvalidError(text, 'epoch time must be a number ≥ 0');
  // String() gives the shortest decimal that reads back as the same double, so 1700000000.123 keeps
  // exactly its three fraction digits instead of the binary noise that multiplying by 1000 would add.
  const epoch = EPOCH_DECIMAL.exec(text);
  if (epoch === null) throw new TimeInvalidError(text, 'epoch time is out of range');
  return readEpochDecimal(text, epoch[1], epoch[2] ?? '');
}

function readEpochDecimal(text: string, integerDigits: string, fractionDigits: string): ParsedRfc3339 {
  const integer = BigInt(integerDigits);
  const unitDigits = EPOCH_UNITS.find((unit) => integer < unit.below)?.digits ?? NANOS_DIGITS;
  const fractionWidth = NANOS_DIGITS - unitDigits;
  const kept = fractionDigits.slice(0, fractionWidth);
  const totalNanos = integer * 10n ** BigInt(fractionWidth) + BigInt(kept.padEnd(fractionWidth, '0') || '0');
  const ms = Number(totalNanos / 1_000_000n);
  if (ms > MAX_MS) throw new TimeInvalidError(text, 'epoch time is after the year 9999');
  return { ms, nanos: Number(totalNanos % 1_000_000_000n), fractionDigits: unitDigits + kept.length };
}

/** ISO 8601 UTC text with `digits` fraction digits, never fewer than 3 (like Date#toISOString). */
export function formatIso(ms: number, nanos: number, digits: number): string {
  const wholeSecondMs = Math.floor(ms / 1000) * 1000;
  const seconds = new Date(wholeSecondMs).toISOString().slice(0, 19);
  const width = Math.min(NANOS_DIGITS, Math.max(3, digits));
  return `${seconds}.${String(nanos).padStart(NANOS_DIGITS, '0').slice(0, width)}Z`;
}
