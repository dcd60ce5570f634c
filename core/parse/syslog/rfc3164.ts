import { scalarOf } from '../scalar.ts';
import type { ParsedRecord } from '../types.ts';
import { BSD_TIME_LENGTH, type BsdClock, createBsdTimeReader } from './bsdTime.ts';

/** rsyslog's and syslog-ng's high-precision variant puts an RFC 3339 time in its place. */
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})/y;
/** A TAG is at most 32 characters (RFC 3164 §4.1.3); a little slack for real-world senders. */
const MAX_TAG = 48;

/**
 * The rest of an RFC 3164 (BSD) line after the optional `<PRI>`: `Mmm dd hh:mm:ss HOST TAG[PID]: MSG`.
 * The year is inferred (see createBsdTimeReader). HOST may be absent (local senders), which is told
 * by the token after the time ending in `:` or holding `[`.
 * TAG becomes `service`, PID `syslog.procid`. Returns false when there is no BSD or RFC 3339 time.
 */
export function createRfc3164Reader(
  clock: BsdClock,
): (line: string, start: number, record: ParsedRecord) => boolean {
  const readBsdTime = createBsdTimeReader(clock);
  return (line, start, record) => {
    const bsd = readBsdTime(line, start);
    if (bsd !== undefined) {
      record.ts = bsd;
      return readRest(line, start + BSD_TIME_LENGTH, record);
    }
    ISO_TIME.lastIndex = start;
    if (!ISO_TIME.test(line)) return false;
    record.ts = line.slice(start, ISO_TIME.lastIndex);
    return readRest(line, ISO_TIME.lastIndex, record);
  };
}

/** HOST (when present), TAG and MSG after the time. */
function readRest(line: string, afterTime: number, record: ParsedRecord): boolean {
  let i = afterTime;
  if (line.charCodeAt(i) !== 32) return i >= line.length ? finish(record, '') : false;
  i++;
  let tokenEnd = line.indexOf(' ', i);
  if (tokenEnd === -1) tokenEnd = line.length;
  if (!looksLikeTag(line, i, tokenEnd)) {
    record.host = line.slice(i, tokenEnd);
    i = tokenEnd + 1;
  }
  return finish(record, readTag(line, i, record));
}

/** Reads `TAG[PID]: ` or `TAG: ` and returns the message after it; without a tag the rest is the message. */
function readTag(line: string, start: number, record: ParsedRecord): string {
  if (start >= line.length) return '';
  const colon = line.indexOf(':', start);
  if (colon === -1 || colon - start > MAX_TAG) return line.slice(start);
  const bracket = line.indexOf('[', start);
  const tagEnd = bracket !== -1 && bracket < colon ? bracket : colon;
  for (let k = start; k < tagEnd; k++) if (line.charCodeAt(k) <= 32) return line.slice(start);
  if (tagEnd === start) return line.slice(start);
  record.service = line.slice(start, tagEnd);
  if (tagEnd === bracket) {
    const close = line.indexOf(']', bracket);
    if (close !== -1 && close < colon) record['syslog.procid'] = scalarOf(line.slice(bracket + 1, close));
  }
  return line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
}

function looksLikeTag(line: string, start: number, end: number): boolean {
  const last = line.charCodeAt(end - 1);
  if (last === 58 /* : */) return true;
  const bracket = line.indexOf('[', start);
  return bracket !== -1 && bracket < end;
}

function finish(record: ParsedRecord, message: string): boolean {
  record.message = message;
  return true;
}
