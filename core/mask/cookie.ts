import { maskRange, type Scanner } from './spans.ts';

/**
 * `Cookie` and `Set-Cookie` values: only the cookie values are secret. Cookie names and the attributes
 * of `Set-Cookie` (`Path`, `Domain`, `Expires`, `Max-Age`, `HttpOnly`, `Secure`, `SameSite`, …) stay
 * readable, so `sid=abc; Path=/; HttpOnly` becomes `sid=[MASKED:token]; Path=/; HttpOnly`.
 */

export const NOT_COOKIE = 0;
export const COOKIE = 1;
export const SET_COOKIE = 2;

const SPACE = 32;
const TAB = 9;
const SEMI = 59;
const EQ = 61;

/** Set-Cookie attributes with a value (RFC 6265bis and the common extensions), lower case. */
const ATTRIBUTES = new Set(['path', 'domain', 'expires', 'max-age', 'samesite', 'priority']);
/** Set-Cookie attributes without a value. */
const FLAGS = new Set(['httponly', 'secure', 'partitioned']);

/**
 * What the sensitive name matched at `[start, end]` (inclusive, as matchKeyEnd found it) is: `cookie`
 * spelled alone (any case), `set-cookie` (`Set-Cookie`, `set_cookie`, `setCookie`), or something else.
 */
export function cookieKeyKind(s: string, start: number, end: number): number {
  if (end - start !== 5 || s.slice(start, end + 1).toLowerCase() !== 'cookie') return NOT_COOKIE;
  let p = start - 1;
  while (p >= 0 && (s.charCodeAt(p) === 45 || s.charCodeAt(p) === 95 || s.charCodeAt(p) === 46)) p--;
  if (p >= 2 && s.slice(p - 2, p + 1).toLowerCase() === 'set') {
    const before = p >= 3 ? s.charCodeAt(p - 3) : SPACE;
    if (!isAlnum(before)) return SET_COOKIE;
  }
  return COOKIE;
}

/** cookieKeyKind for a whole (possibly dotted) attribute key: its last segment decides. */
export function cookieAttrKind(key: string): number {
  const dot = key.lastIndexOf('.');
  const from = dot + 1;
  let end = key.length - 1;
  while (end >= from && !isAlnum(key.charCodeAt(end))) end--;
  if (end - from < 5) return NOT_COOKIE;
  const kind = cookieKeyKind(key, end - 5, end);
  if (kind === NOT_COOKIE) return NOT_COOKIE;
  // Nothing but `set` and separators before `cookie` in the segment: `set-cookie`, `cookie`, `Cookie`.
  const rest = key.slice(from, end - 5).replace(/[-_.]/g, '');
  return rest === '' ? COOKIE : rest.toLowerCase() === 'set' ? SET_COOKIE : NOT_COOKIE;
}

/**
 * Masks the cookie values in `[from, end)` of `s`: `name=value` pairs separated by `;`. In a `Cookie`
 * header every value is masked (and a pair without `=`, being a bare value, as a whole); in `Set-Cookie`
 * the first pair is the cookie and the known attributes after it stay, any other pair is masked too.
 */
export function maskCookieValue(
  sc: Scanner,
  s: string,
  from: number,
  end: number,
  detector: number,
  kind: number,
): void {
  let p = from;
  let index = 0;
  while (p < end) {
    while (p < end && (s.charCodeAt(p) === SPACE || s.charCodeAt(p) === TAB)) p++;
    if (p >= end) break;
    let pairEnd = s.indexOf(';', p);
    if (pairEnd < 0 || pairEnd > end) pairEnd = end;
    let last = pairEnd;
    while (last > p && (s.charCodeAt(last - 1) === SPACE || s.charCodeAt(last - 1) === TAB)) last--;
    // Looked for within the pair only: a search to the text's end per pair would be quadratic.
    let eq = p;
    while (eq < last && s.charCodeAt(eq) !== EQ) eq++;
    if (eq === last) eq = -1;
    const keep =
      kind === SET_COOKIE &&
      index > 0 &&
      (eq < 0
        ? FLAGS.has(s.slice(p, last).toLowerCase())
        : ATTRIBUTES.has(s.slice(p, eq).trim().toLowerCase()));
    if (!keep) maskRange(sc, s, eq < 0 ? p : eq + 1, last, detector);
    index++;
    p = pairEnd + 1;
  }
}

/**
 * End of a bare (unquoted) cookie header value that starts at `v` and whose first pair ends at `end`:
 * the value goes on over `; ` while a `name=` follows (`Cookie: sid=abc; theme=dark`), so no cookie
 * after the first one escapes because of the space between them.
 */
export function cookieBareEnd(s: string, end: number, nextEnd: (from: number) => number): number {
  let e = end;
  for (;;) {
    if (e <= 0 || s.charCodeAt(e - 1) !== SEMI) return e;
    let p = e;
    while (p < s.length && (s.charCodeAt(p) === SPACE || s.charCodeAt(p) === TAB)) p++;
    const q = cookieNameEnd(s, p);
    if (q === p || s.charCodeAt(q) !== EQ) return e;
    e = nextEnd(p);
  }
}

/** End of a cookie name (RFC 6265 token characters) starting at `p`. */
function cookieNameEnd(s: string, p: number): number {
  while (p < s.length && isTokenChar(s.charCodeAt(p))) p++;
  return p;
}

function isTokenChar(c: number): boolean {
  return c > 32 && c < 127 && c !== EQ && c !== SEMI && c !== 34 && c !== 44 && c !== 92;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
