import { uuidv7 } from '../ids/uuidv7.ts';
import { ALIAS_TARGETS, type AliasTarget, aliasOf } from './aliases.ts';
import { flatten } from './flatten.ts';
import { eventTimeIso } from './isoEventTime.ts';
import { levelFromOtelSeverity, levelFromSyslogSeverity, parseLevel } from './levels.ts';
import type { AttrValue, Level, LogEvent } from './types.ts';

/** Where a record comes from: the tenant is the ingest key's, never the body's. */
export interface NormalizeContext {
  tenant: string;
  /** When the record was received (ms since the epoch); the event time when the record has none. */
  observedMs: number;
  /** Used when the record names no service / host / env. */
  defaults?: { service?: string; host?: string; env?: string };
  /** The id when the record names none (the agent's stable id); a UUIDv7 is minted when absent. */
  id?: string;
  /**
   * Event times accepted around `observedMs`: one further back or ahead is filed under `observedMs`,
   * its own time kept in the `sluice.original_ts` attribute. Absent: any time is taken as given.
   */
  window?: EventTimeWindow;
}

/** How far before and after its arrival an event's own time may be (config `limits.event_time`). */
export interface EventTimeWindow {
  backMs: number;
  aheadMs: number;
}

export type NormalizeResult =
  | { ok: true; event: LogEvent /** The event time was outside the window. */; retimed: boolean }
  | { ok: false; reason: string };

/** Attribute that keeps a value that could not be understood, so normalizing never drops input. */
export const RAW_TS_ATTR = 'sluice.raw_ts';
export const RAW_LEVEL_ATTR = 'sluice.raw_level';
/** The event's own time (ISO) when it lay outside the accepted window and the arrival time was used. */
export const ORIGINAL_TS_ATTR = 'sluice.original_ts';
export const ORIGINAL_OBSERVED_TS_ATTR = 'sluice.original_observed_ts';

/** Event ids we keep as given: a UUID, or any short token of safe characters (e.g. an agent's id). */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// Bookkeeping of one normalizeRecord call, kept between calls so a record costs no Map and no object per
// reserved field: normalizing is synchronous and never re-entered while a record is flattened.
const SLOTS = ALIAS_TARGETS.length;
const slotKey: Array<string | undefined> = new Array(SLOTS).fill(undefined);
const slotValue: AttrValue[] = new Array(SLOTS).fill(null);
const slotRank: number[] = new Array(SLOTS).fill(0);
let attrsOut: Record<string, AttrValue> = {};

const ID = slotOf('id');
const TS = slotOf('ts');
const OBSERVED_TS = slotOf('observed_ts');
const LEVEL = slotOf('level');
const SEVERITY_NUMBER = slotOf('severity_number');
const SYSLOG_SEVERITY = slotOf('syslog_severity');
const MESSAGE = slotOf('message');
const SERVICE = slotOf('service');
const HOST = slotOf('host');
const ENV = slotOf('env');
const CORRELATION_ID = slotOf('correlation_id');
const TRACE_ID = slotOf('trace_id');
const SPAN_ID = slotOf('span_id');

function slotOf(target: AliasTarget): number {
  return ALIAS_TARGETS.indexOf(target);
}

/** The value picked for a reserved field, or undefined when the record has none. */
function picked(slot: number): AttrValue | undefined {
  return slotKey[slot] === undefined ? undefined : slotValue[slot];
}

/** Sorts one flattened leaf: a reserved field (the best-ranked alias wins, the others stay attrs) or an attr. */
function visit(key: string, value: AttrValue): void {
  if (key.startsWith('attrs.')) {
    setAttr(attrsOut, key.slice(6), value);
    return;
  }
  const alias = aliasOf(key);
  if (alias === undefined) {
    setAttr(attrsOut, key, value);
    return;
  }
  // A null reserved field ("message": null) says nothing; let another alias (msg) fill it.
  if (value === null) return;
  const slot = alias.slot;
  const priorKey = slotKey[slot];
  if (priorKey === undefined || alias.rank < slotRank[slot]) {
    if (priorKey !== undefined) setAttr(attrsOut, priorKey, slotValue[slot]);
    slotKey[slot] = key;
    slotValue[slot] = value;
    slotRank[slot] = alias.rank;
  } else {
    setAttr(attrsOut, key, value);
  }
}

// Records handed over together share their observed time: its ISO text is made once for all of them.
let observedMsCached = Number.NaN;
let observedIsoCached = '';

function observedIsoOf(ms: number): string {
  if (ms !== observedMsCached) {
    observedIsoCached = new Date(ms).toISOString();
    observedMsCached = ms;
  }
  return observedIsoCached;
}

/**
 * Turns one input record (any JSON object with the aliases of contracts.md §1) into an event.
 * Unknown fields go to attrs, flattened with dots. A record is refused only when it is not an object
 * or has no message at all; an unparseable time or level is replaced and its raw value kept in attrs.
 */
export function normalizeRecord(record: unknown, ctx: NormalizeContext): NormalizeResult {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return { ok: false, reason: `record must be a JSON object, got ${describe(record)}` };
  }
  slotKey.fill(undefined);
  const attrs: Record<string, AttrValue> = {};
  attrsOut = attrs;
  flatten(record as Record<string, unknown>, visit);

  const message = picked(MESSAGE);
  if (message === undefined || message === null) {
    slotValue.fill(null);
    return { ok: false, reason: 'record has no message (expected one of: message, msg, log)' };
  }

  const observedIso = observedIsoOf(ctx.observedMs);
  const ts = pickTs(picked(TS), observedIso, attrs);
  const observed = pickObserved(picked(OBSERVED_TS), observedIso);
  const retimed = ctx.window !== undefined && outside(ts, ctx.observedMs, ctx.window);
  if (retimed) setAttr(attrs, ORIGINAL_TS_ATTR, ts);
  const event: LogEvent = {
    id: pickId(picked(ID), attrs, ctx.id),
    ts: retimed ? observedIso : ts,
    observed_ts: observed,
    level: pickLevel(attrs),
    service: text(picked(SERVICE)) ?? ctx.defaults?.service ?? 'unknown',
    tenant: ctx.tenant,
    message: typeof message === 'string' ? message : String(message),
    attrs,
  };
  const host = text(picked(HOST)) ?? ctx.defaults?.host;
  if (host !== undefined) event.host = host;
  const env = text(picked(ENV)) ?? ctx.defaults?.env;
  if (env !== undefined) event.env = env;
  const correlationId = text(picked(CORRELATION_ID));
  if (correlationId !== undefined) event.correlation_id = correlationId;
  const traceId = text(picked(TRACE_ID));
  if (traceId !== undefined) event.trace_id = traceId;
  const spanId = text(picked(SPAN_ID));
  if (spanId !== undefined) event.span_id = spanId;
  // A shipper's observed time is bounded the same way: the processor reads the event's time around it.
  if (ctx.window !== undefined && observed !== observedIso && outside(observed, ctx.observedMs, ctx.window)) {
    setAttr(attrs, ORIGINAL_OBSERVED_TS_ATTR, observed);
    event.observed_ts = observedIso;
  }
  // Nothing of this record stays reachable from the scratch slots.
  slotValue.fill(null);
  attrsOut = EMPTY;
  return { ok: true, event, retimed };
}

/**
 * True when `iso` lies outside [arrival - back, arrival + ahead]. Years beyond 9999 or before 0 (`+010000-…`)
 * are outside whatever the window: Date.parse reads them, but no store files them.
 */
function outside(iso: string, arrivalMs: number, window: EventTimeWindow): boolean {
  if (iso.charCodeAt(0) === 43 /* + */ || iso.charCodeAt(0) === 45 /* - */) return true;
  const ms = Date.parse(iso);
  return !(ms >= arrivalMs - window.backMs && ms <= arrivalMs + window.aheadMs);
}

const EMPTY: Record<string, AttrValue> = {};

function pickId(
  value: AttrValue | undefined,
  attrs: Record<string, AttrValue>,
  fallback: string | undefined,
): string {
  if (typeof value === 'string' && SAFE_ID.test(value)) return value;
  // A numeric or odd "id" is the application's own field, not an event id: keep it as an attribute.
  if (value !== undefined) setAttr(attrs, 'id', value);
  return fallback ?? uuidv7();
}

function pickTs(value: AttrValue | undefined, observedIso: string, attrs: Record<string, AttrValue>): string {
  if (typeof value === 'string' || typeof value === 'number') {
    const iso = eventTimeIso(value);
    if (iso !== null) return iso;
  }
  if (value !== undefined) setAttr(attrs, RAW_TS_ATTR, value);
  return observedIso;
}

function pickObserved(value: AttrValue | undefined, observedIso: string): string {
  // A shipper's observed time (the agent's read time) is closer to the truth than the gateway's.
  if (typeof value === 'string' || typeof value === 'number') {
    const iso = eventTimeIso(value);
    if (iso !== null) return iso;
  }
  return observedIso;
}

function pickLevel(attrs: Record<string, AttrValue>): Level {
  const named = picked(LEVEL);
  const level = parseLevel(named);
  if (level !== null) return level;
  const otel = picked(SEVERITY_NUMBER);
  const fromOtel = typeof otel === 'number' ? levelFromOtelSeverity(otel) : null;
  if (fromOtel !== null) return fromOtel;
  const syslog = picked(SYSLOG_SEVERITY);
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
