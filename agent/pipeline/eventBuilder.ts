import { aliasOf } from '../../core/event/aliases.ts';
import { type NormalizeContext, normalizeRecord, setAttr } from '../../core/event/normalize.ts';
import type { AttrValue, LogEvent } from '../../core/event/types.ts';
import type { Masker } from '../../core/mask/index.ts';
import { createParser, PARSE_ERROR_ATTR, type ParsedRecord } from '../../core/parse/index.ts';
import type { AgentConfig } from '../config/schema.ts';
import { lineEventId } from '../inputs/lineRecord.ts';
import type { Enrichment } from './enrichment.ts';

type InputConfig = AgentConfig['inputs'][number];

/** What happened to the text of an event on its way here, as bits of `flags`. */
export const TRUNCATED = 1;
export const PARTIAL = 2;
/** A multi-line event cut at max_lines or the size bound: the lines after the cut follow as their own event. */
export const CUT = 4;
/** The remainder of a cut multi-line event. */
export const CONTINUED = 8;

/** Attribute names the agent sets; docs/agent.md lists them. */
export const ATTR = {
  truncated: 'sluice.truncated',
  originalBytes: 'sluice.original_bytes',
  partial: 'sluice.partial',
  cut: 'sluice.multiline_cut',
  continued: 'sluice.continued',
  filePath: 'log.file.path',
} as const;

/**
 * The gateway sets the tenant from the ingest key and ignores this one (contracts.md §1); a placeholder
 * keeps the event valid on its own without pretending to know.
 */
export const TENANT_PLACEHOLDER = '-';

/** The source bytes an event came from, and what happened to them. */
export interface EventSource {
  /** Path the bytes were read from, or `stdin`. */
  source: string;
  fileId: string;
  offset: number;
  next: number;
  flags: number;
  /** Bytes the source held for this text, when it was cut (TRUNCATED). */
  originalBytes: number;
}

export interface BuildCounts {
  parseErrors: number;
}

/** Turns the text of one event into its JSON line: parse, normalize, stable id, mask, enrich, serialize. */
export type BuildEvent = (text: string, from: EventSource, observedMs: number) => string;

export interface EventBuilderOptions {
  masker: Masker;
  enrichment: Enrichment;
  /** Names the machine in event ids: file ids hold device and inode numbers, which mean nothing elsewhere. */
  idScope: string;
  counts: BuildCounts;
}

export function createEventBuilder(input: InputConfig, options: EventBuilderOptions): BuildEvent {
  const parse = createParser({ format: input.format, pattern: input.pattern });
  const { masker, enrichment, idScope, counts } = options;
  const ctx: NormalizeContext = { tenant: TENANT_PLACEHOLDER, observedMs: 0, defaults: enrichment.defaults };
  const isFile = input.type === 'file';
  // Plain records never carry an id of their own; structured ones may (an order id, Mongo's `_id`).
  const mayCarryId = input.format !== 'plain';
  // Masking happens twice where parsing can reveal what the text hid (see maskingPlan).
  const maskParsed = maskingPlan(input.format).afterParsing;

  return (text, from, observedMs) => {
    const clean = masker.maskText(text);
    const record = parse(clean);
    if (record[PARSE_ERROR_ATTR] !== undefined) counts.parseErrors++;
    // The id must be ours, derived from where the bytes are: an application's own `id` repeats across
    // lines (or is missing), and stores would drop every event after the first as a duplicate. The
    // application's value stays an attribute under the name it had. Handing ours to normalizeRecord
    // also spares it minting a UUIDv7 that would be thrown away.
    const id = lineEventId(idScope, from);
    const ownIdKey = mayCarryId ? ownIdKeyOf(record) : undefined;
    let ownId: AttrValue = null;
    if (ownIdKey !== undefined) {
      ownId = record[ownIdKey] as AttrValue;
      record[ownIdKey] = id;
    }
    ctx.id = id;
    ctx.observedMs = observedMs;
    const event = normalized(record, clean, ctx);
    event.id = id;
    if (ownIdKey !== undefined) setAttr(event.attrs, ownIdKey, ownId);
    flag(event.attrs, from);
    const masked = maskParsed ? masker.maskEvent(event) : event;
    enrichment.apply(masked.attrs, from.source);
    if (isFile && !Object.hasOwn(masked.attrs, ATTR.filePath)) masked.attrs[ATTR.filePath] = from.source;
    return JSON.stringify(masked);
  };
}

/**
 * The line is masked as text before it is parsed, so no field, no key and no lifted value (correlation
 * id, level) is made from unmasked text: logfmt turns bare words into keys, and a `Bearer <token>`
 * would otherwise ship as an attribute name. The event is masked again after parsing where parsing
 * reveals more than the text showed: JSON keys spelled with escapes (`"pass\u0077ord"`) and regex groups
 * whose names, not the text, say the value is a secret. Masking twice costs one more scan and changes
 * nothing already masked (markers are left alone and not counted again).
 */
export function maskingPlan(format: InputConfig['format']): { afterParsing: boolean } {
  // Container formats wrap the application's line, JSON when it is an object: masked like json.
  return {
    afterParsing: format === 'json' || format === 'regex' || format === 'cri' || format === 'docker',
  };
}

function normalized(record: ParsedRecord, text: string, ctx: NormalizeContext): LogEvent {
  const result = normalizeRecord(record, ctx);
  if (result.ok) return result.event;
  // Parsers always give an object with a message, so this is a safety net: keep the line, say why.
  const fallback = normalizeRecord({ message: text, [PARSE_ERROR_ATTR]: result.reason }, ctx);
  if (!fallback.ok) throw new Error(`cannot normalize a plain message: ${fallback.reason}`);
  return fallback.event;
}

/** The key normalizeRecord would take the event id from (`id`, `ID`, `_id`, …), if the record has one. */
function ownIdKeyOf(record: ParsedRecord): string | undefined {
  for (const key in record) {
    // Only short keys can spell `id` once `-`, `_` and `.` are dropped; the length test spares the rest,
    // and aliasOf's cache spares lowercasing the short ones on every line.
    if (key.length <= 4 && Object.hasOwn(record, key) && aliasOf(key)?.target === 'id') {
      const value = record[key];
      // An object under `id` flattens to `id.*` attributes and names no event id: leave it be.
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return key;
    }
  }
  return undefined;
}

function flag(attrs: Record<string, AttrValue>, from: EventSource): void {
  const flags = from.flags;
  if (flags === 0) return;
  if (flags & TRUNCATED) {
    attrs[ATTR.truncated] = true;
    attrs[ATTR.originalBytes] = from.originalBytes;
  }
  if (flags & PARTIAL) attrs[ATTR.partial] = true;
  if (flags & CUT) attrs[ATTR.cut] = true;
  if (flags & CONTINUED) attrs[ATTR.continued] = true;
}
