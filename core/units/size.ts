import { readDecimal, scaleToWhole } from './decimal.ts';
import { UnitError } from './unitError.ts';

/** Bytes per unit, keyed by the lower-cased unit: bits never make sense here, so case does not matter. */
const UNITS = new Map<string, bigint>([
  ['b', 1n],
  ['kb', 1000n],
  ['mb', 1000n ** 2n],
  ['gb', 1000n ** 3n],
  ['tb', 1000n ** 4n],
  ['pb', 1000n ** 5n],
  ['kib', 1024n],
  ['mib', 1024n ** 2n],
  ['gib', 1024n ** 3n],
  ['tib', 1024n ** 4n],
  ['pib', 1024n ** 5n],
  ['ki', 1024n],
  ['mi', 1024n ** 2n],
  ['gi', 1024n ** 3n],
  ['ti', 1024n ** 4n],
  ['pi', 1024n ** 5n],
]);
const AMBIGUOUS = new Set(['k', 'm', 'g', 't', 'p']);
export const SIZE_HINT = 'write a number of bytes or a number and a unit such as 512KiB, 10MB, 1GiB';
const SIZE = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/;

/**
 * Reads a size as people write it (`100`, `512KiB`, `10MB`, `1.5GiB`) and returns bytes. KB/MB/GB are
 * powers of 1000 and KiB/MiB/GiB powers of 1024. Throws UnitError for anything else.
 */
export function parseSize(text: string): number {
  const fail = (reason: string) => invalid(text, reason);
  const trimmed = text.trim();
  if (trimmed === '') fail('it is empty');
  if (trimmed.startsWith('-')) fail('sizes cannot be negative');
  if (trimmed.length > 64) fail('it is too long');
  const match = SIZE.exec(trimmed);
  if (!match) return fail('it is not a number followed by an optional unit');
  const [, amount, unit] = match;
  const key = unit.toLowerCase() || 'b';
  if (AMBIGUOUS.has(key)) {
    fail(
      `unit "${unit}" is ambiguous: write ${amount}${unit.toUpperCase()}B (powers of 1000) or ${amount}${unit.toUpperCase()}iB (powers of 1024)`,
    );
  }
  const factor = UNITS.get(key);
  if (factor === undefined)
    return fail(`unknown unit ${JSON.stringify(unit)} (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)`);
  const bytes = scaleToWhole(readDecimal(amount)!, factor);
  if (bytes === undefined) return fail('it is not a whole number of bytes');
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) fail('it is too large');
  return Number(bytes);
}

function invalid(text: string, reason: string): never {
  throw new UnitError('size_invalid', text, reason, SIZE_HINT);
}

const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['PiB', 1024 ** 5],
  ['TiB', 1024 ** 4],
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
];
const DECIMAL_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['PB', 1000 ** 5],
  ['TB', 1000 ** 4],
  ['GB', 1000 ** 3],
  ['MB', 1000 ** 2],
  ['KB', 1000],
];

/**
 * Writes bytes for people: exactly when a unit divides them (1048576 → `1MiB`, 10000000 → `10MB`),
 * otherwise rounded to two decimals of the largest binary unit (1234567 → `1.18MiB`).
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return String(bytes);
  for (const units of [FORMAT_UNITS, DECIMAL_UNITS]) {
    for (const [name, factor] of units) {
      if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${name}`;
    }
  }
  for (const [name, factor] of FORMAT_UNITS) {
    if (bytes >= factor) return `${Number((bytes / factor).toFixed(2))}${name}`;
  }
  return `${bytes}B`;
}
