import { MAX_MS, MIN_MS } from './civil.ts';
import { TimeInvalidError } from './errors.ts';
import { parseRfc3339 } from './rfc3339.ts';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const RELATIVE = /^now(?:([+-])(\d{1,9})([smhdw]))?$/;
const EPOCH_MS = /^\d{1,16}$/;
const EXPECTED =
  'expected now, now-<n><unit> (unit s, m, h, d or w), an RFC 3339 timestamp or epoch milliseconds';

/**
 * Reads a time as users write it in `from`/`to` and in `ts` query terms: `now`, `now-15m`, `now+1h`
 * (units s, m, h, d, w; no months or years, whose length varies), RFC 3339 (a date alone is midnight
 * UTC; no zone means UTC), or a plain integer of epoch milliseconds. Returns ms since the epoch.
 * Throws TimeInvalidError (code 'time_invalid').
 */
export function parseTimeExpression(text: string, nowMs: number): number {
  const trimmed = text.trim();
  const relative = RELATIVE.exec(trimmed);
  if (relative !== null) {
    if (relative[1] === undefined) return nowMs;
    const delta = Number(relative[2]) * UNIT_MS[relative[3]];
    return checkRange(text, relative[1] === '-' ? nowMs - delta : nowMs + delta);
  }
  if (EPOCH_MS.test(trimmed)) return checkRange(text, Number(trimmed));
  if (/^\d{4}-/.test(trimmed)) return parseRfc3339(trimmed).ms;
  throw new TimeInvalidError(text, EXPECTED);
}

function checkRange(text: string, ms: number): number {
  if (ms < MIN_MS || ms > MAX_MS) throw new TimeInvalidError(text, 'outside the years 0000–9999 in UTC');
  return ms;
}
