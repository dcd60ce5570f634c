import type { Level } from '../event/types.ts';
import { readHeader } from './header.ts';

/** What plain text gives away about its event; keys are the event's own field names. */
export interface Lifted {
  ts?: string;
  level?: Level;
  correlation_id?: string;
  trace_id?: string;
  span_id?: string;
}

/** Which fields to look for; a parser skips the ones its structured fields already supply. */
export interface LiftWanted {
  header: boolean;
  correlation: boolean;
  trace: boolean;
}
export const LIFT_ALL: LiftWanted = { header: true, correlation: true, trace: true };

/**
 * `X-Correlation-ID: abc`, `correlation_id=abc`, `correlationId=abc`, `"request_id": "abc"`,
 * `x-request-id: abc`, `requestId=abc`, `cid=abc`, `[cid:abc]`. The key must start a word (so `acid=1`
 * is not one); a space may follow `:` (headers) but not `=`, so `cid= next=1` holds no id; the value must be a whole token of the safe charset of at most 128 characters, so ids
 * cannot smuggle markup or run on into the rest of the line.
 */
const CORRELATION =
  /(?<![A-Za-z0-9_-])(?:x-)?(?:correlation[-_]?id|request[-_]?id|cid)["']?(?:[ \t]*:[ \t]*|=)["']?([A-Za-z0-9._:-]{1,128})(?![A-Za-z0-9._:-])/i;
/** W3C trace context: `traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`. */
const TRACEPARENT =
  /traceparent["']?[ \t]*[:=][ \t]*["']?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(?![0-9a-z])/i;
const TRACE_ID = /(?<![A-Za-z0-9_-])trace[-_.]?id["']?[ \t]*[:=][ \t]*["']?([0-9a-f]{32})(?![0-9a-z])/i;
const SPAN_ID = /(?<![A-Za-z0-9_-])span[-_.]?id["']?[ \t]*[:=][ \t]*["']?([0-9a-f]{16})(?![0-9a-z])/i;
const ALL_ZERO_TRACE = '00000000000000000000000000000000';
const ALL_ZERO_SPAN = '0000000000000000';

/**
 * Finds a leading date-time and level, a correlation ID and W3C trace context in plain text.
 * Runs on every plain line, so each regex hides behind an indexOf that rules most lines out.
 */
export function liftFromText(text: string): Lifted {
  const lifted: Lifted = {};
  liftInto(text, lifted as Record<string, unknown>, LIFT_ALL);
  return lifted;
}

/** Writes what liftFromText finds into `record`, never over a key the record already has. */
export function liftInto(text: string, record: Record<string, unknown>, wanted: LiftWanted): void {
  if (wanted.header) {
    const header = readHeader(text);
    if (header.ts !== undefined && record.ts === undefined) record.ts = header.ts;
    if (header.level !== undefined && record.level === undefined) record.level = header.level;
  }
  if (wanted.correlation && record.correlation_id === undefined) {
    const id = correlationIdIn(text);
    if (id !== undefined) record.correlation_id = id;
  }
  if (wanted.trace && record.trace_id === undefined) liftTrace(text, record);
}

function correlationIdIn(text: string): string | undefined {
  // Every accepted key spells "id" as id, Id or ID.
  if (text.indexOf('id') === -1 && text.indexOf('ID') === -1 && text.indexOf('Id') === -1) return undefined;
  const match = CORRELATION.exec(text);
  if (match === null) return undefined;
  let id = match[1];
  // Sentence punctuation is not part of the id: "failed for request_id=abc." means abc.
  let end = id.length;
  while (end > 0 && (id.charCodeAt(end - 1) === 46 || id.charCodeAt(end - 1) === 58)) end--;
  if (end !== id.length) id = id.slice(0, end);
  return hasAlphanumeric(id) ? id : undefined; // `-` is a nil value, not an id
}

function liftTrace(text: string, record: Record<string, unknown>): void {
  if (text.indexOf('race') === -1 && text.indexOf('RACE') === -1) return;
  const parent = TRACEPARENT.exec(text);
  if (parent !== null) {
    const traceId = parent[2].toLowerCase();
    const spanId = parent[3].toLowerCase();
    // Version ff and all-zero ids are invalid by the W3C spec: such a header carries no trace.
    if (parent[1].toLowerCase() !== 'ff' && traceId !== ALL_ZERO_TRACE && spanId !== ALL_ZERO_SPAN) {
      record.trace_id = traceId;
      if (record.span_id === undefined) record.span_id = spanId;
      return;
    }
  }
  const trace = TRACE_ID.exec(text);
  if (trace === null || trace[1] === ALL_ZERO_TRACE) return;
  record.trace_id = trace[1].toLowerCase();
  if (record.span_id !== undefined) return;
  const span = SPAN_ID.exec(text);
  if (span !== null && span[1] !== ALL_ZERO_SPAN) record.span_id = span[1].toLowerCase();
}

function hasAlphanumeric(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  }
  return false;
}
