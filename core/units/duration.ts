import { readDecimal, scaleToWhole } from './decimal.ts';
import { UnitError } from './unitError.ts';

/** Nanoseconds per unit, largest first: compound durations must follow this order (`1h30m`, not `30m1h`). */
const UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['w', 604_800_000_000_000n],
  ['d', 86_400_000_000_000n],
  ['h', 3_600_000_000_000n],
  ['m', 60_000_000_000n],
  ['s', 1_000_000_000n],
  ['ms', 1_000_000n],
  ['us', 1_000n],
  ['µs', 1_000n],
  ['ns', 1n],
];
const UNIT_NAMES = 'ns, us, ms, s, m, h, d, w';
export const DURATION_HINT = 'write a number and a unit such as 500ms, 30s, 5m, 7d or 1h30m';
const MAX_NS = BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n;
const PART = /\s*(\d+(?:\.\d+)?)\s*([^\d\s.]+)\s*/y;

/**
 * Reads a duration as people write it (`500ms`, `30s`, `1h30m`, `250us`, `1.5h`) and returns milliseconds,
 * fractional below 1 ms. Throws UnitError for anything else: no unit, unknown unit, negative, overflow.
 */
export function parseDuration(text: string): number {
  const fail = (reason: string) => invalid(text, reason);
  const trimmed = text.trim();
  if (trimmed === '') fail('it is empty');
  if (trimmed === '0') return 0;
  if (trimmed.startsWith('-')) fail('durations cannot be negative');
  if (trimmed.length > 64) fail('it is too long');
  if (/^\d+(\.\d+)?$/.test(trimmed)) fail(`it has no unit (units: ${UNIT_NAMES})`);

  let total = 0n;
  let lastRank = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match) return fail(`cannot read ${JSON.stringify(text.slice(start).trim())}`);
    const [, amount, unit] = match;
    const rank = UNITS.findIndex(([name]) => name === unit);
    if (rank < 0) return fail(`unknown unit ${JSON.stringify(unit)} (units: ${UNIT_NAMES})`);
    if (rank <= lastRank) fail('units must go from largest to smallest, each once, as in 1h30m');
    lastRank = unit === 'us' ? rank + 1 : rank; // us and µs are one unit
    const ns = scaleToWhole(readDecimal(amount)!, UNITS[rank][1]);
    if (ns === undefined) return fail('it is finer than a nanosecond');
    total += ns;
  }
  if (total > MAX_NS) fail('it is too large');
  return Number(total) / 1_000_000;
}

function invalid(text: string, reason: string): never {
  throw new UnitError('duration_invalid', text, reason, DURATION_HINT);
}

/** Writes milliseconds back the way parseDuration reads them: 90_000 → `1m30s`, 0.25 → `250us`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  let rest = BigInt(Math.round(ms * 1_000_000));
  if (rest === 0n) return '0s';
  let out = '';
  for (const [name, ns] of UNITS) {
    if (name === 'w' || name === 'µs') continue; // 14d reads better than 2w
    if (rest >= ns) {
      out += `${rest / ns}${name}`;
      rest %= ns;
    }
  }
  return out;
}
