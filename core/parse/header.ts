import { levelFromText } from '../event/levels.ts';
import type { Level } from '../event/types.ts';

/**
 * A leading date-time as log4j, logback, Python logging and most frameworks write it, optionally in
 * brackets: `2026-11-23 12:00:00,123`, `2026-11-23T12:00:00.123Z`, `[2026-11-23 12:00:00 +0100]`.
 * Sticky and anchored, so a line without one is rejected after a character or two.
 */
const LEADING_DATE_TIME =
  /\[?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?( ?(?:Z|[+-]\d{2}(?::?\d{2})?))?\]?/y;
/** A time of day alone (logback's default `12:00:00.123 [main] INFO …`): skipped, never lifted as ts. */
const LEADING_TIME = /\[?\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?\]?/y;

const MIN_LEVEL_WORD = 3; // single letters (`I`, `E`) are words in prose, not levels
const MAX_LEVEL_WORD = 13; // `informational`
const MAX_BRACKETED = 64; // a thread name such as `[http-nio-8080-exec-3]`

export interface Header {
  /** The leading date-time in ISO form (`T`, `.`), with its offset when written; no offset is added. */
  ts?: string;
  level?: Level;
}

/**
 * Reads the header most plain-text log lines start with: an optional date-time, then a level word,
 * possibly after one bracketed token such as a thread name. A word counts as a level only when it is
 * written as one (`ERROR`, `[warn]`, `error:`), so prose such as `Error connecting…` or `Alert sent`
 * at the start of a message is not mistaken for a level.
 */
export function readHeader(text: string): Header {
  const header: Header = {};
  let i = skipSpaces(text, 0);
  const first = text.charCodeAt(i);
  if (isDigit(first) || first === 91 /* [ */) {
    LEADING_DATE_TIME.lastIndex = i;
    const dt = LEADING_DATE_TIME.exec(text);
    if (dt !== null) {
      header.ts = isoOf(dt[1], dt[2], dt[3], dt[4]);
      i = LEADING_DATE_TIME.lastIndex;
    } else {
      LEADING_TIME.lastIndex = i;
      if (LEADING_TIME.test(text)) i = LEADING_TIME.lastIndex;
    }
  }
  for (let token = 0; token < 2; token++) {
    i = skipSpaces(text, i);
    const c = text.charCodeAt(i);
    if (c === 91 /* [ */ || c === 60 /* < */) {
      const close = text.indexOf(c === 91 ? ']' : '>', i + 1);
      if (close === -1 || close - i - 1 > MAX_BRACKETED) return header;
      const level = levelWord(text, i + 1, close);
      if (level !== null) {
        header.level = level;
        return header;
      }
      i = close + 1; // a thread or logger name: the level may follow it
      continue;
    }
    let end = i;
    while (end < text.length && isLetter(text.charCodeAt(end))) end++;
    const after = end < text.length ? text.charCodeAt(end) : 32;
    const delimited = after === 32 || after === 9 || after === 58 /* : */ || after === 124; /* | */
    if (delimited && (after === 58 || isUpperCase(text, i, end))) {
      const level = levelWord(text, i, end);
      if (level !== null) header.level = level;
    }
    return header;
  }
  return header;
}

function levelWord(text: string, start: number, end: number): Level | null {
  const length = end - start;
  if (length < MIN_LEVEL_WORD || length > MAX_LEVEL_WORD) return null;
  for (let i = start; i < end; i++) if (!isLetter(text.charCodeAt(i))) return null;
  return levelFromText(text.slice(start, end));
}

function isoOf(date: string, time: string, fraction: string | undefined, zone: string | undefined): string {
  let iso = `${date}T${time}`;
  if (fraction !== undefined) iso += `.${fraction}`;
  if (zone !== undefined) iso += zone.charCodeAt(0) === 32 ? zone.slice(1) : zone;
  return iso;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isUpperCase(text: string, start: number, end: number): boolean {
  if (end === start) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}
