import { uuidv7 } from '../ids/uuidv7.ts';
import { parseTimestamp, type Timestamp } from '../time/timestamp.ts';
import { type AliasTarget, aliasOf } from './aliases.ts';
import { flatten } from './flatten.ts';
import { levelFromOtelSeverity, levelFromSyslogSeverity, parseLevel } from './levels.ts';
import type { AttrValue, Level, LogEvent } from './types.ts';

/** Where a record comes from: the tenant is the ingest key's, never the body's. */
export interface NormalizeContext {
  tenant: string;
  /** When the record was received (ms since the epoch); the event time when the record has none. */
  observedMs: number;
  /** Used when the record names no service / host / env. */
  defaults?: { service?: string; host?: string; env?: string };
}

export type NormalizeResult = { ok: true; event: LogEvent } | { ok: false; reason: string };

/** Attribute that keeps a value that could not be understood, so normalizing never drops input. */
export const RAW_TS_ATTR = 'sluice.raw_ts';
export const RAW_LEVEL_ATTR = 'sluice.raw_level';

/** Event ids we keep as given: a UUID, or any short token of safe characters (e.g. an agent's id). */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Turns one input record (any JSON object with the aliases of contracts.md §1) into an event.
 * Unknown fields go to attrs, flattened with dots. A record is refused only when it is not an object
 * or has no message at all; an unparseable time or level is replaced and its raw value kept in attrs.
 */
export function normalizeRecord(record: unknown, ctx: NormalizeContext): NormalizeResult {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return { ok: false, reason: `record must be a JSON object, got ${describe(record)}` };
  }
  const picked = new Map<AliasTarget, { value: AttrValue; rank: number; key: string }>();
  const attrs: Record<string, AttrValue> = {};
  flatten(record as Record<string, unknown>, (key, value) => {
    if (key.startsWith('attrs.')) {
      setAttr(attrs, key.slice(6), value);
      return;
    }
    const alias = aliasOf(key);
    // A null reserved field ("message": null) says nothing; let another alias (msg) fill it.
    if (alias !== undefined && value === null) return;
    if (alias === undefined) {
      setAttr(attrs, key, value);
      return;
    }
    const prior = picked.get(alias.target);
    if (prior === undefined || alias.rank < prior.rank) {
      if (prior !== undefined) setAttr(attrs, prior.key, prior.value);
      picked.set(alias.target, { value, rank: alias.rank, key });
    } else {
      setAttr(attrs, key, value);
    }
  });

  const message = picked.get('message')?.value;
  if (message === undefined || message === null) {
    return { ok: false, reason: 'record has no message (expected one of: message, msg, log)' };
  }

  const observedIso = new Date(ctx.observedMs).toISOString();
  const event: LogEvent = {
    id: pickId(picked.get('id')?.value, attrs),
    ts: pickTs(picked.get('ts')?.value, observedIso, attrs),
    observed_ts: pickObserved(picked.get('observed_ts')?.value, observedIso),
    level: pickLevel(picked, attrs),
    service: text(picked.get('service')?.value) ?? ctx.defaults?.service ?? 'unknown',
    tenant: ctx.tenant,
    message: typeof message === 'string' ? message : String(message),
    attrs,
  };
  const host = text(picked.get('host')?.value) ?? ctx.defaults?.host;
  if (host !== undefined) event.host = host;
  const env = text(picked.get('env')?.value) ?? ctx.defaults?.env;
  if (env !== undefined) event.env = env;
  const correlationId = text(picked.get('correlation_id')?.value);
  if (correlationId !== undefined) event.correlation_id = correlationId;
  const traceId = text(picked.get('trace_id')?.value);
  if (traceId !== undefined) event.trace_id = traceId;
  const spanId = text(picked.get('span_id')?.value);
  if (spanId !== undefined) event.span_id = spanId;
  return { ok: true, event };
}

function pickId(value: AttrValue | undefined, attrs: Record<string, AttrValue>): string {
  if (typeof value === 'string' && SAFE_ID.test(value)) return value;
  // A numeric or odd "id" is the application's own field, not an event id: keep it as an attribute.
  if (value !== undefined) setAttr(attrs, 'id', value);
  return uuidv7();
}

function pickTs(value: AttrValue | undefined, observedIso: string, attrs: Record<string, AttrValue>): string {
  if (typeof value === 'string' || typeof value === 'number') {
    const parsed = tryTimestamp(value);
    if (parsed !== null) return parsed.iso;
  }
  if (value !== undefined) setAttr(attrs, RAW_TS_ATTR, value);
  return observedIso;
}

function tryTimestamp(value: string | number): Timestamp | null {
  try {
    return parseTimestamp(value);
  } catch {
    return null; // the caller keeps the raw value and falls back to the observed time
  }
}

function pickObserved(value: AttrValue | undefined, observedIso: string): string {
  // A shipper's observed time (the agent's read time) is closer to the truth than the gateway's.
  if (typeof value === 'string' || typeof value === 'number') {
    const parsed = tryTimestamp(value);
    if (parsed !== null) return parsed.iso;
  }
  return observedIso;
}

function pickLevel(
  picked: Map<AliasTarget, { value: AttrValue; rank: number; key: string }>,
  attrs: Record<string, AttrValue>,
): Level {
  const named = picked.get('level')?.value;
  const level = parseLevel(named);
  if (level !== null) return level;
  const otel = picked.get('severity_number')?.value;
  const fromOtel = typeof otel === 'number' ? levelFromOtelSeverity(otel) : null;
  if (fromOtel !== null) return fromOtel;
  const syslog = picked.get('syslog_severity')?.value;
  const fromSyslog = typeof syslog === 'number' ? levelFromSyslogSeverity(syslog) : null;
  if (fromSyslog !== null) return fromSyslog;
  if (named !== undefined && named !== null) setAttr(attrs, RAW_LEVEL_ATTR, named);
  return 'info';
}

/** Sets an attribute; a key named `__proto__` becomes an own property instead of touching the prototype. */
export function setAttr(attrs: Record<string, AttrValue>, key: string, value: AttrValue): void {
  if (key === '__proto__') {
    Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    attrs[key] = value;
  }
}

function text(value: AttrValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = typeof value === 'string' ? value : String(value);
  return s === '' ? undefined : s;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
