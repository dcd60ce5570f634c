import { EMAIL } from './detectors.ts';
import { addSpan, type Scanner } from './spans.ts';

/** RFC 5321 limits; they also bound the work per `@`. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

const LOCAL = new Uint8Array(128);
const DOMAIN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  LOCAL[c] = alnum || "._%+-'".includes(String.fromCharCode(c)) ? 1 : 0;
  DOMAIN[c] = alnum || c === 45 || c === 46 ? 1 : 0;
}

/**
 * Called at an `@`. Masks `local@domain.tld` as a whole when the domain has a dot and an alphabetic
 * top-level label of two letters or more. Returns where scanning resumes, or -1 when this is no address.
 */
export function maskEmail(sc: Scanner, s: string, at: number): number {
  const lo = Math.max(sc.spans.floor, at - MAX_LOCAL);
  let start = at;
  while (start > lo && isIn(LOCAL, s.charCodeAt(start - 1))) start--;
  while (start < at && (s.charCodeAt(start) === 46 || s.charCodeAt(start) === 39)) start++;
  if (start === at) return -1;
  const limit = Math.min(s.length, at + 1 + MAX_DOMAIN);
  let end = at + 1;
  while (end < limit && isIn(DOMAIN, s.charCodeAt(end))) end++;
  while (end > at + 1 && (s.charCodeAt(end - 1) === 46 || s.charCodeAt(end - 1) === 45)) end--;
  // Look for the last dot only within the domain: a search past `@` would make `a@a@a@…` quadratic.
  let lastDot = end - 1;
  while (lastDot > at && s.charCodeAt(lastDot) !== 46) lastDot--;
  if (lastDot <= at + 1 || end - lastDot - 1 < 2) return -1;
  for (let p = lastDot + 1; p < end; p++) {
    const c = s.charCodeAt(p) | 32;
    if (c < 97 || c > 122) return -1;
  }
  addSpan(sc.spans, start, end, EMAIL, sc.markers[EMAIL]);
  return end;
}

function isIn(table: Uint8Array, c: number): boolean {
  return c < 128 && table[c] === 1;
}
