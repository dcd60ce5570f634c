import type { NormalizeContext } from '../../core/event/normalize.ts';
import type { AttrValue } from '../../core/event/types.ts';
import { uuidAt, uuidPrefix } from '../../core/ids/uuidv7.ts';
import type { Masker } from '../../core/mask/index.ts';
import { createParser, lineEvent, PARSE_ERROR_ATTR, SHIPPED_PARSE_ATTR } from '../../core/parse/index.ts';
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
  /** The text's bytes, `bytes[start, end)`, for a single line read as is (LineRecord.bytes); else undefined. */
  bytes: Uint8Array | undefined;
  start: number;
  end: number;
}

/** An EventSource to fill in (assemblies reuse one). */
export function eventSource(): EventSource {
  return {
    source: '',
    fileId: '',
    offset: 0,
    next: 0,
    flags: 0,
    originalBytes: 0,
    bytes: undefined,
    start: 0,
    end: 0,
  };
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
  const edge = edgeBuilder(input, options);
  return input.parse === 'server' ? serverBuilder(input, options, edge) : edge;
}

/** `parse: edge`: parse, normalize, mask the event again where parsing can reveal more, serialize. */
function edgeBuilder(input: InputConfig, options: EventBuilderOptions): BuildEvent {
  const parse = createParser({ format: input.format, pattern: input.pattern });
  const { masker, enrichment, idScope, counts } = options;
  const ctx: NormalizeContext & { id: string } = {
    tenant: TENANT_PLACEHOLDER,
    observedMs: 0,
    defaults: enrichment.defaults,
    id: '',
  };
  const isFile = input.type === 'file';
  // Plain records never carry an id of their own; structured ones may (an order id, Mongo's `_id`).
  const mayCarryId = input.format !== 'plain';
  // Masking happens twice where parsing can reveal what the text hid (see maskingPlan).
  const maskParsed = maskingPlan(input.format).afterParsing;

  return (text, from, observedMs) => {
    const clean = masker.maskText(text);
    const record = parse(clean);
    if (record[PARSE_ERROR_ATTR] !== undefined) counts.parseErrors++;
    ctx.id = lineEventId(idScope, from);
    ctx.observedMs = observedMs;
    const event = lineEvent(record, clean, ctx, mayCarryId);
    flag(event.attrs, from);
    const masked = maskParsed ? masker.maskEvent(event) : event;
    enrichment.apply(masked.attrs, from.source);
    if (isFile && !Object.hasOwn(masked.attrs, ATTR.filePath)) masked.attrs[ATTR.filePath] = from.source;
    return JSON.stringify(masked);
  };
}

/**
 * Text that may name a service (`service`, `service.name`, `app`, `application`, any case). The
 * processor keeps the service the gateway accepted (ingest keys can be limited to services), so lines
 * that name their own are built at the edge, where the gateway sees it.
 */
const SERVICE_HINT = /service|app/i;

/**
 * `parse: server`: the masked line goes out as the message of a small event whose `sluice.parse`
 * attribute names its format, and the processor parses it (backend/processor/stages/shipped.ts) with
 * the same lineEvent() the edge uses. Per line this costs one masking scan and one string escape: no
 * parse, no event object, no serializing of fields. Its id is uuidAt() of the file and offset, which
 * compresses to a few bytes.
 *
 * Masking stays at the edge and equals the edge's two passes (core/mask/onePass.test.ts): for JSON the
 * second pass can only find more where parsing decodes escapes, so a JSON line with a backslash, and a
 * line flagged truncated, partial or cut (its flags are attributes), is built at the edge instead; so
 * is a line that may name its service (SERVICE_HINT).
 */
function serverBuilder(input: InputConfig, options: EventBuilderOptions, edge: BuildEvent): BuildEvent {
  const { masker } = options;
  const json = input.format === 'json';
  const structured = json || input.format === 'logfmt';
  const envelope = serverEnvelope(input, options);
  return (text, from, now) => {
    if (from.flags !== 0 || (json && text.includes('\\')) || (structured && SERVICE_HINT.test(text)))
      return edge(text, from, now);
    const clean = masker.maskText(text);
    return envelope.head(from, now) + JSON.stringify(clean) + envelope.tail(from);
  };
}

/**
 * Where a pipeline can write an event as bytes (the records encoder of pipeline.ts's RecordOut).
 * `pushWrapped` appends the record of `from` whose JSON is `head`, the bytes `from.bytes[start, end)`
 * as a JSON string, then `tail`; it returns false and appends nothing when the bytes are not printable
 * ASCII without a backslash (which would need more than quoting).
 */
export interface WrappedOut {
  pushWrapped?(head: string, from: EventSource & { bytes: Uint8Array }, tail: string): boolean;
}

/**
 * Writes the event of a line to `out` straight from its bytes when it can; returns false when it did
 * not (the caller then builds it as a string). Only `parse: server` has one.
 */
export type WriteEvent = (text: string, from: EventSource, observedMs: number, out: WrappedOut) => boolean;

/**
 * `parse: server` from the line's bytes: for a line of printable ASCII with nothing to mask (most lines)
 * the event is the envelope around the bytes, quoted, with no masking scan, no escaped copy of the line,
 * no joined string. Everything else goes the string way (serverBuilder), which makes the same JSON
 * (test/integration/agent/parseServer.test.ts compares the two).
 */
export function createEventWriter(input: InputConfig, options: EventBuilderOptions): WriteEvent | undefined {
  if (input.parse !== 'server') return undefined;
  const { masker } = options;
  const structured = input.format === 'json' || input.format === 'logfmt';
  const envelope = serverEnvelope(input, options);
  return (text, from, now, out) => {
    const bytes = from.bytes;
    if (bytes === undefined || out.pushWrapped === undefined || from.flags !== 0) return false;
    if ((structured && SERVICE_HINT.test(text)) || masker.mayMask(bytes, from.start, from.end, text))
      return false;
    return out.pushWrapped(
      envelope.head(from, now),
      from as EventSource & { bytes: Uint8Array },
      envelope.tail(from),
    );
  };
}

/**
 * The JSON of a `parse: server` event around its message: `head` up to `"message":`, `tail` after it.
 * Its id is uuidAt() of the file and offset, which compresses to a few bytes. Lines come in runs of one
 * file, read at one time: the parts that depend on those are made once per run.
 */
function serverEnvelope(input: InputConfig, options: EventBuilderOptions) {
  const { enrichment, idScope } = options;
  const isFile = input.type === 'file';
  const d = enrichment.defaults;
  const fields =
    `"service":${JSON.stringify(d.service)},"host":${JSON.stringify(d.host)},` +
    (d.env === undefined ? '' : `"env":${JSON.stringify(d.env)},`);
  const parseAttr = `${JSON.stringify(SHIPPED_PARSE_ATTR)}:${JSON.stringify(input.format)}}}`;
  let fileId = '';
  let idPrefix = '';
  let source = '';
  let tail = '';
  let observedMs = Number.NaN;
  let observed = '';
  return {
    head(from: EventSource, now: number): string {
      if (from.fileId !== fileId || idPrefix === '') {
        fileId = from.fileId;
        idPrefix = uuidPrefix(`${idScope}\u0000${fileId}`);
      }
      if (now !== observedMs) {
        observedMs = now;
        observed = new Date(now).toISOString();
      }
      return `{"id":"${uuidAt(idPrefix, from.offset)}","observed_ts":"${observed}",${fields}"message":`;
    },
    tail(from: EventSource): string {
      if (from.source !== source || tail === '') {
        source = from.source;
        let attrs = '';
        const list = enrichment.attrsFor(source);
        for (let i = 0; i < list.length; i++)
          attrs += `${JSON.stringify(list[i][0])}:${JSON.stringify(list[i][1])},`;
        if (isFile && !list.some(([key]) => key === ATTR.filePath))
          attrs += `${JSON.stringify(ATTR.filePath)}:${JSON.stringify(source)},`;
        tail = `,"attrs":{${attrs}${parseAttr}`;
      }
      return tail;
    },
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
