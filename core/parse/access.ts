import { clfTimeToIso } from './clfTime.ts';
import { scanPairs } from './logfmt.ts';
import { unparsed } from './plain.ts';
import type { ParsedRecord } from './types.ts';

/**
 * nginx `combined` and Apache `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"` (the referer and
 * user agent optional, which is the Common Log Format), then anything appended (`rt=0.045 cid=…`).
 * Quoted parts allow backslash escapes (nginx writes `\"` and `\x22`); written as unrolled loops, which
 * V8 runs without backtracking per character.
 */
const ACCESS_LINE =
  /^(\S+) (\S+) (\S+) \[([^\]]*)\] "([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (\d+|-)(?: "([^"\\]*(?:\\.[^"\\]*)*)" "([^"\\]*(?:\\.[^"\\]*)*)")?/;

/**
 * One access-log line. Fields: `remote_addr`, `ident` and `remote_user` (when not `-`), `ts` (RFC 3339),
 * `http.method`, `http.path`, `http.protocol` (or `http.request` when the request line is not three
 * words), `http.status` and `http.response_bytes` (numbers), `http.referer`, `http.user_agent`, trailing
 * `key=value` extras (numbers where they print back as written; `cid`/`request_id` become the
 * correlation ID when normalized). The level follows the status: 5xx error, 4xx warn, else info.
 * The whole line is the message, so any part of it can be searched.
 */
export function parseAccessLog(line: string): ParsedRecord {
  const m = ACCESS_LINE.exec(line);
  if (m === null) return unparsed(line, 'access log: not in combined or common log format');
  const record: ParsedRecord = {};
  // Extras first, so the fixed fields written after them win: a custom `status=` must not override the real one.
  if (m[0].length < line.length) scanPairs(line, m[0].length, record, false);
  const status = Number(m[6]);
  record.message = line;
  record.level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  record.ts = clfTimeToIso(m[4]) ?? m[4];
  record.remote_addr = m[1];
  if (m[2] !== '-') record.ident = m[2];
  if (m[3] !== '-') record.remote_user = m[3];
  splitRequest(m[5], record);
  record['http.status'] = status;
  if (m[7] !== '-') record['http.response_bytes'] = Number(m[7]);
  if (m[8] !== undefined && m[8] !== '-') record['http.referer'] = m[8];
  if (m[9] !== undefined && m[9] !== '-') record['http.user_agent'] = m[9];
  return record;
}

/** `POST /orders HTTP/1.1` → method, path, protocol; anything else (`-`, a TLS probe's bytes) kept whole. */
function splitRequest(request: string, record: ParsedRecord): void {
  const first = request.indexOf(' ');
  const last = request.lastIndexOf(' ');
  if (first > 0 && last > first && request.indexOf(' ', first + 1) === last) {
    record['http.method'] = request.slice(0, first);
    record['http.path'] = request.slice(first + 1, last);
    record['http.protocol'] = request.slice(last + 1);
  } else if (request !== '' && request !== '-') {
    record['http.request'] = request;
  }
}
