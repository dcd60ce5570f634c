import { cookieBareEnd, cookieKeyKind, maskCookieValue, NOT_COOKIE } from './cookie.ts';
import { TOKEN } from './detectors.ts';
import { dottedKeyDetector, findKeyStart, keyMatch, matchKeyEnd } from './keyNames.ts';
import {
  backslashesBefore,
  findContainerEnd,
  findSingleQuotedEnd,
  findStringEnd,
  stringEnd,
} from './quoted.ts';
import { addSpan, markerEnd, maskRange, type Scanner } from './spans.ts';

/**
 * Values of sensitive keys, wherever a key is followed by `=` or `:`: JSON (`"password":"…"`, also
 * escaped JSON inside a JSON string), logfmt (`password=…`, `password="…"`), YAML-ish and header lines
 * (`secret: …`, `Authorization: Bearer …`) and URL queries (`?token=…&x=1`). The key keeps its place;
 * only the value becomes a marker.
 */

const SPACE = 32;
const TAB = 9;
const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;

/** Authorization schemes: the scheme word stays readable, the credential after it is masked. */
const AUTH_SCHEMES = new Set(['bearer', 'basic', 'digest', 'token', 'negotiate', 'ntlm', 'apikey']);

/**
 * Called at the `=` or `:` at `sep`. Masks the value when the key before it is sensitive; returns where
 * scanning resumes (after the value, or just after `sep` when there was nothing to mask).
 */
export function maskKeyValue(sc: Scanner, s: string, sep: number): number {
  const floor = sc.spans.floor;
  const detector = keyDetectorAt(sc, s, sep, floor);
  if (detector < 0) return sep + 1;
  const { keyQuote, keyLevel } = keyFound;
  const j = keyFound.end;
  const cookie = detector === TOKEN ? cookieKeyKind(s, keyMatch.start, j) : NOT_COOKIE;

  let v = sep + 1;
  if (s.charCodeAt(sep) === 61 && s.charCodeAt(v) === 62) v++; // Ruby-style `=>`
  while (v < s.length && (s.charCodeAt(v) === SPACE || s.charCodeAt(v) === TAB)) v++;
  if (v >= s.length) return v;

  const run = countBackslashes(s, v);
  const opener = s.charCodeAt(v + run);
  if (opener === DQUOTE && (keyQuote !== DQUOTE || run === keyLevel)) {
    const from = v + run + 1;
    const end = findStringEnd(s, from, run);
    const after = stringEnd.after;
    // A JSON member's value is masked whole (an authorization scheme too), as maskEvent masks the
    // attribute it parses into: one scan of a JSON line then masks what parsing and maskEvent would.
    if (keyQuote === DQUOTE && s.charCodeAt(sep) === 58 && cookie === NOT_COOKIE)
      maskRange(sc, s, from, end, detector);
    else maskValue(sc, s, from, end, detector, cookie);
    return after;
  }
  if (keyQuote === DQUOTE && s.charCodeAt(sep) === 58) {
    const after = maskJsonNonString(sc, s, v, keyLevel, detector);
    if (after >= 0) return after;
  }
  if (opener === SQUOTE && run === 0) {
    const end = findSingleQuotedEnd(s, v + 1);
    const after = stringEnd.after;
    maskValue(sc, s, v + 1, end, detector, cookie);
    return after;
  }
  const jsonLike = keyQuote === DQUOTE && s.charCodeAt(sep) === 58;
  return maskBareValue(sc, s, sep, v, findKeyStart(s, keyMatch.start, floor), detector, jsonLike, cookie);
}

/** Where the last keyDetectorAt() found its key: its quote (0: none), backslashes before it, last character. */
const keyFound = { keyQuote: 0, keyLevel: 0, end: 0 };

/**
 * The detector of the key before the `=` or `:` at `sep` (looking no further back than `floor`), or -1
 * when the key is not sensitive: the value after `sep` is then left alone. Fills keyFound.
 */
export function keyDetectorAt(sc: Scanner, s: string, sep: number, floor: number): number {
  let j = sep - 1;
  while (j >= floor && (s.charCodeAt(j) === SPACE || s.charCodeAt(j) === TAB)) j--;
  if (j < floor) return -1;
  const keyQuote = s.charCodeAt(j);
  let keyLevel = 0;
  if (keyQuote === DQUOTE || keyQuote === SQUOTE) {
    keyLevel = backslashesBefore(s, j, floor);
    j -= keyLevel + 1;
  }
  keyFound.keyQuote = keyQuote;
  keyFound.keyLevel = keyLevel;
  keyFound.end = j;
  const detector = matchKeyEnd(sc.trie, sc.enabled, s, j, floor);
  // A dotted JSON key (`"password.hint"`) is sensitive when any segment is, as the attribute it
  // parses into is (attrMasker): the scan then masks what maskEvent would.
  if (detector < 0 && keyQuote === DQUOTE) return dottedJsonKey(sc, s, j, floor);
  return detector;
}

/** Masks a quoted value: a cookie header's values only, else all of it (an authorization scheme stays). */
function maskValue(
  sc: Scanner,
  s: string,
  from: number,
  end: number,
  detector: number,
  cookie: number,
): void {
  if (cookie !== NOT_COOKIE) maskCookieValue(sc, s, from, end, detector, cookie);
  else maskRange(sc, s, skipAuthScheme(s, from, end, detector), end, detector);
}

/** The detector of a quoted key ending at `j` with a `.` in it, by its segments; -1 when none. */
function dottedJsonKey(sc: Scanner, s: string, j: number, floor: number): number {
  let start = j;
  const lo = Math.max(floor, j - MAX_DOTTED_KEY);
  let dotted = false;
  while (start > lo && s.charCodeAt(start - 1) !== DQUOTE) {
    start--;
    if (s.charCodeAt(start) === 46) dotted = true;
  }
  // Most keys have no dot: no slice for them.
  return dotted || s.charCodeAt(j) === 46
    ? dottedKeyDetector(sc.trie, sc.enabled, s.slice(start, j + 1))
    : -1;
}

/** Dotted keys longer than this are not split into segments: bounds the work per `:`. */
const MAX_DOTTED_KEY = 128;

function countBackslashes(s: string, p: number): number {
  let n = 0;
  while (s.charCodeAt(p + n) === BACKSLASH) n++;
  return n;
}

/**
 * JSON numbers, objects and arrays under a sensitive key become a quoted marker (JSON stays JSON);
 * true/false/null stay. Returns where scanning resumes, or -1 for anything else (`"password": hunter2`
 * in JSON-like text), which is then masked as a bare value.
 */
function maskJsonNonString(sc: Scanner, s: string, v: number, level: number, detector: number): number {
  const c = s.charCodeAt(v);
  let end: number;
  if (c === 123 || c === 91) end = findContainerEnd(s, v, level);
  else if (c === 45 || (c >= 48 && c <= 57)) {
    end = v + 1;
    while (end < s.length && isNumberChar(s.charCodeAt(end))) end++;
  } else if (JSON_LITERAL.test(s.slice(v, v + 6))) return v;
  else return -1;
  const quote = `${'\\'.repeat(level)}"`;
  addSpan(sc.spans, v, end, detector, quote + sc.markers[detector] + quote);
  return end;
}

const JSON_LITERAL = /^(?:true|false|null)(?![A-Za-z0-9_])/;

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}

/**
 * An unquoted value at `v`: to the next whitespace, or to the end of a line the key starts. After a
 * JSON-style `"key":` it also ends at `,`, `}` and `]`.
 */
function maskBareValue(
  sc: Scanner,
  s: string,
  sep: number,
  v: number,
  keyStart: number,
  detector: number,
  jsonLike: boolean,
  cookie: number,
): number {
  const inQuery = isQueryKey(s, keyStart) || jsonLike;
  // Already masked (masking twice changes nothing), unless more of the value follows the marker.
  const masked = markerEnd(s, v);
  if (masked >= 0 && bareValueEnd(s, masked, inQuery, false) === masked) return masked;
  // `key: value` (YAML's space after the colon) alone on its line: the value is the rest of the line.
  const toLineEnd = s.charCodeAt(sep) === 58 && v > sep + 1 && !inQuery && startsLine(s, keyStart);
  if (cookie !== NOT_COOKIE) {
    const first = bareValueEnd(s, v, inQuery, toLineEnd);
    const end = toLineEnd ? first : cookieBareEnd(s, first, (p) => bareValueEnd(s, p, inQuery, false));
    maskCookieValue(sc, s, v, end, detector, cookie);
    return end;
  }
  let start = v;
  let end = bareValueEnd(s, v, inQuery, toLineEnd);
  const scheme = skipAuthScheme(s, start, toLineEnd ? end : s.length, detector);
  if (scheme > start && (toLineEnd || scheme > end)) {
    start = scheme;
    if (!toLineEnd) end = bareValueEnd(s, start, inQuery, false);
  }
  maskRange(sc, s, start, end, detector);
  return end;
}

/**
 * End of an unquoted value: the next whitespace or unescaped quote (`inList`: also `& # , } ]`, which
 * separate URL query parameters and JSON members).
 * Escape pairs stay whole so JSON text around the value stays valid; `\n`, `\r` and `\t` in JSON text
 * are line breaks and tabs in the decoded line, so they end the value too. `toLineEnd` (a `key: value`
 * line of its own) lets the value run over spaces to the end of the line.
 */
function bareValueEnd(s: string, v: number, inList: boolean, toLineEnd: boolean): number {
  let p = v;
  for (; p < s.length; p++) {
    const c = s.charCodeAt(p);
    if (c === 10 || c === 13 || c === DQUOTE) break;
    if ((c === SPACE || c === TAB) && !toLineEnd) break;
    if (inList && (c === 38 || c === 35 || c === 44 || c === 125 || c === 93)) break;
    if (c === BACKSLASH) {
      const e = s.charCodeAt(p + 1);
      if (e === 110 || e === 114 || e === DQUOTE || (e === 116 && !toLineEnd)) break;
      p++;
    }
  }
  if (toLineEnd) while (p > v && (s.charCodeAt(p - 1) === SPACE || s.charCodeAt(p - 1) === TAB)) p--;
  return Math.min(p, s.length);
}

/**
 * When `[start, limit)` is a token-like value (`Authorization`, `token`, …) that begins with an
 * authorization scheme word and a space (`Bearer abc`), returns where the credential starts; otherwise
 * `start`. Passwords and secrets are masked whole, whatever word they start with.
 */
function skipAuthScheme(s: string, start: number, limit: number, detector: number): number {
  if (detector !== TOKEN) return start;
  let p = start;
  while (p < limit && p - start < 10 && isLetter(s.charCodeAt(p))) p++;
  if (p - start < 4 || p >= limit || s.charCodeAt(p) !== SPACE) return start;
  if (!AUTH_SCHEMES.has(s.slice(start, p).toLowerCase())) return start;
  while (p < limit && s.charCodeAt(p) === SPACE) p++;
  return p < limit ? p : start;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** A key right after `?` or `&` is a URL query parameter: its value ends at `&` or `#`. */
function isQueryKey(s: string, keyStart: number): boolean {
  const c = s.charCodeAt(keyStart - 1);
  return c === 63 || c === 38;
}

/** Only indentation (or a YAML list dash) between the start of the line and the key. */
function startsLine(s: string, keyStart: number): boolean {
  for (let p = keyStart - 1; p >= 0; p--) {
    const c = s.charCodeAt(p);
    if (c === 10 || c === 13) return true;
    if (c !== SPACE && c !== TAB && c !== 45) return false;
  }
  return true;
}
