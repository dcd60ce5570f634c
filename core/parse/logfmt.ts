import { unparsed } from './plain.ts';
import { scalarOf, setField } from './scalar.ts';
import { PARSE_ERROR_ATTR, type ParsedRecord } from './types.ts';

const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;

/** What scanning key=value text found. */
export interface PairScan {
  pairs: number;
  /** Set when a quoted value ran to the end of the line. */
  error?: string;
}

/**
 * `ts=… level=info msg="reserve stock" qty=2 dry_run`: logfmt as Go's kit/log, logrus and slog write it.
 * A bare key is `true`; a plain decimal that prints back as written becomes a number (see scalarOf),
 * a quoted value stays text. Never throws: an unterminated quote takes the rest of the line and is
 * flagged; a line with no `=` at all is not logfmt and is kept as a plain message.
 */
export function parseLogfmt(line: string): ParsedRecord {
  if (line.indexOf('=') === -1) return unparsed(line, 'logfmt: no key=value pairs');
  const record: ParsedRecord = {};
  const scan = scanPairs(line, 0, record, true);
  if (scan.pairs === 0) return unparsed(line, 'logfmt: no key=value pairs');
  // Without msg/message the line itself is the message, so full-text search still finds the event.
  if (record.msg === undefined && record.message === undefined) record.message = line;
  if (scan.error !== undefined) record[PARSE_ERROR_ATTR] = scan.error;
  return record;
}

/**
 * Reads key=value pairs from `text` starting at `start` into `record` (later duplicates win). With
 * `bareKeys` false, words without `=` are skipped instead of becoming `true` flags, for trailing extras
 * of formats such as nginx's where stray words are not flags.
 */
export function scanPairs(text: string, start: number, record: ParsedRecord, bareKeys: boolean): PairScan {
  const scan: PairScan = { pairs: 0 };
  const n = text.length;
  let i = start;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c <= 32) {
      i++; // spaces, tabs and control characters (NUL included) separate pairs
      continue;
    }
    if (c === QUOTE || c === EQUALS) {
      i = skipToken(text, i); // `"stray"` or `=value` without a key: nothing to name it by
      continue;
    }
    const keyStart = i;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c <= 32 || c === EQUALS || c === QUOTE) break;
      i++;
    }
    const key = text.slice(keyStart, i);
    if (i >= n || c !== EQUALS) {
      if (bareKeys) {
        setField(record, key, true);
        scan.pairs++;
      }
      continue;
    }
    i++; // past '='
    if (i < n && text.charCodeAt(i) === QUOTE) {
      i = readQuoted(text, i + 1, record, key, scan);
    } else {
      const valueStart = i;
      while (i < n && text.charCodeAt(i) > 32) i++;
      setField(record, key, i === valueStart ? '' : scalarOf(text.slice(valueStart, i)));
    }
    scan.pairs++;
  }
  return scan;
}

/** Reads a quoted value starting after its opening quote; returns the index after the closing quote. */
function readQuoted(text: string, start: number, record: ParsedRecord, key: string, scan: PairScan): number {
  const n = text.length;
  let i = start;
  let escaped = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      escaped = true;
      i += 2;
      continue;
    }
    i++;
  }
  const end = Math.min(i, n);
  if (i >= n) scan.error = `logfmt: unterminated quote in the value of ${JSON.stringify(key.slice(0, 64))}`;
  const raw = text.slice(start, end);
  setField(record, key, escaped ? unescapeQuoted(raw) : raw);
  return end + 1;
}

/** Go's strconv.Quote escapes, the ones logfmt writers emit; any other escaped character stands for itself. */
function unescapeQuoted(raw: string): string {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i !== -1 && i < raw.length - 1; i = raw.indexOf('\\', from)) {
    out += raw.slice(from, i);
    const next = raw.charCodeAt(i + 1);
    if (next === 110) out += '\n';
    else if (next === 116) out += '\t';
    else if (next === 114) out += '\r';
    else out += raw[i + 1];
    from = i + 2;
  }
  return out + raw.slice(from);
}

function skipToken(text: string, i: number): number {
  const n = text.length;
  if (text.charCodeAt(i) === QUOTE) {
    i++;
    while (i < n && text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
    return i + 1;
  }
  while (i < n && text.charCodeAt(i) > 32) i++;
  return i;
}
