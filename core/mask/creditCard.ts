import { CREDIT_CARD } from './detectors.ts';
import { addSpan, type Scanner } from './spans.ts';

/** The fewest digits a card number has. */
export const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
/** Groups written with separators have at least 3 digits (`4111 1111 …`, Amex `3782 822463 10005`). */
const MIN_GROUP = 3;

/** Digits of the candidate being read; one buffer for all scans. */
const digits = new Uint8Array(MAX_DIGITS + 1);

/**
 * Called at a digit that starts a number. Masks a card number: 13–19 digits, plain or in groups joined by
 * single spaces or dashes, whose issuer digit is 2–6 (cards; epoch timestamps and snowflake ids start with
 * 1) and whose Luhn check passes. The longest such prefix of the groups wins.
 * Returns where scanning resumes, or -1 when there is no card here.
 */
export function maskCardNumber(sc: Scanner, s: string, start: number): number {
  const first = s.charCodeAt(start) - 48;
  if (first < 2 || first > 6) return -1;
  let count = 0;
  let best = -1;
  let p = start;
  for (;;) {
    const groupStart = p;
    while (p < s.length && isDigit(s.charCodeAt(p))) {
      if (count > MAX_DIGITS) return report(sc, start, best);
      digits[count++] = s.charCodeAt(p++) - 48;
    }
    if (count > MAX_DIGITS) break;
    const grouped = groupStart !== start || isSeparator(s.charCodeAt(p));
    if (grouped && p - groupStart < MIN_GROUP) break;
    if (p < s.length && isAlnum(s.charCodeAt(p))) break;
    if (count >= MIN_DIGITS && luhn(count)) best = p;
    if (!isSeparator(s.charCodeAt(p)) || !isDigit(s.charCodeAt(p + 1))) break;
    p++;
  }
  return report(sc, start, best);
}

function report(sc: Scanner, start: number, end: number): number {
  if (end < 0) return -1;
  addSpan(sc.spans, start, end, CREDIT_CARD, sc.markers[CREDIT_CARD]);
  return end;
}

/** Luhn check over the first `count` digits read. */
function luhn(count: number): boolean {
  let sum = 0;
  let double = false;
  for (let k = count - 1; k >= 0; k--) {
    let d = digits[k];
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Does a whole number (an attribute value) look like a card number? */
export function isCardNumber(value: number): boolean {
  if (!Number.isSafeInteger(value) || value < 1e12) return false;
  const text = String(value);
  const first = text.charCodeAt(0) - 48;
  if (text.length < MIN_DIGITS || text.length > MAX_DIGITS || first < 2 || first > 6) return false;
  for (let k = 0; k < text.length; k++) digits[k] = text.charCodeAt(k) - 48;
  return luhn(text.length);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSeparator(c: number): boolean {
  return c === 32 || c === 45;
}

function isAlnum(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
