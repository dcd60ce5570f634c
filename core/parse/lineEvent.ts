import { aliasOf } from '../event/aliases.ts';
import { type NormalizeContext, normalizeRecord, setAttr } from '../event/normalize.ts';
import type { AttrValue, LogEvent } from '../event/types.ts';
import { PARSE_ERROR_ATTR, type ParsedRecord } from './types.ts';

/**
 * Attribute of an event whose message is a line its shipper did not parse (the agent's `parse: server`):
 * its value is the format to parse it by. The processor parses such events and drops the attribute.
 */
export const SHIPPED_PARSE_ATTR = 'sluice.parse';

/**
 * The event of one parsed line, with the id its shipper derived from where the line was (`ctx.id`).
 * The agent does this at the edge (`parse: edge`), the processor for lines the agent shipped unparsed
 * (`parse: server`): one function, so both give the same event.
 *
 * The id must be the shipper's: an application's own `id` repeats across lines (or is missing), and
 * stores would drop every event after the first as a duplicate. The application's value stays an
 * attribute under the name it had. `mayCarryId` is false for formats whose records never carry one.
 */
export function lineEvent(
  record: ParsedRecord,
  text: string,
  ctx: NormalizeContext & { id: string },
  mayCarryId: boolean,
): LogEvent {
  const id = ctx.id;
  const ownIdKey = mayCarryId ? ownIdKeyOf(record) : undefined;
  let ownId: AttrValue = null;
  if (ownIdKey !== undefined) {
    ownId = record[ownIdKey] as AttrValue;
    record[ownIdKey] = id;
  }
  const event = normalized(record, text, ctx);
  event.id = id;
  if (ownIdKey !== undefined) setAttr(event.attrs, ownIdKey, ownId);
  return event;
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
