import type { LogEvent } from '../../../../core/event/types.ts';
import { parseTimestamp } from '../../../../core/time/timestamp.ts';
import { dayOf } from '../../../sinks/search/days.ts';
import {
  MAX_DATE_NANOS_MS,
  type OpenSearchSearchFields,
  openSearchSearchFields,
} from './compileOpenSearch.ts';
import { indexName } from './dailyIndices.ts';
import { idTiebreak, type Tiebreak } from './sortKey.ts';

/**
 * Events as `_bulk` NDJSON bytes, serialized once here so a request body is one copy of its entries.
 * The op is `create` with `_id` = event id: a redelivered event answers 409 (already there), which
 * counts as indexed — idempotent without rewriting the document, which `index` would do.
 */
export interface BulkEntry {
  event: LogEvent;
  /** Action line and document line, each ending in a newline, as UTF-8. */
  bytes: Uint8Array;
}

/** OpenSearch refuses longer `_id`s. */
const MAX_ID_BYTES = 512;

/**
 * The entry, or why OpenSearch could never store the event (the caller routes it to logs.dlq).
 * `source`, when given, is the event's JSON as it arrived (the bytes of a record Sluice wrote): it becomes
 * `_source` as it is, copied, instead of serializing and encoding the event again.
 */
export function bulkEntry(
  prefix: string,
  event: LogEvent,
  names: Map<string, string>,
  tiebreak: Tiebreak = idTiebreak,
  source?: Uint8Array,
): BulkEntry | string {
  if (typeof event.id !== 'string' || event.id === '' || Buffer.byteLength(event.id) > MAX_ID_BYTES)
    return `event id must be a string of 1 to ${MAX_ID_BYTES} bytes`;
  if (typeof event.tenant !== 'string') return 'event has no tenant';
  let ts: { ms: number; iso: string };
  try {
    ts = parseTimestamp(event.ts);
  } catch (error) {
    return (error as Error).message;
  }
  if (ts.ms < 0 || ts.ms > MAX_DATE_NANOS_MS)
    return `ts ${ts.iso} is outside what OpenSearch date_nanos holds (1970 to 2262)`;
  const search = openSearchSearchFields(event, ts.iso) as OpenSearchSearchFields & { tiebreak: number };
  if (search.level_rank < 0) return `unknown level '${String(event.level).slice(0, 32)}'`;
  search.tiebreak = tiebreak(event.id);
  const day = dayOf(ts.ms);
  const key = `${day}\u0000${event.tenant}`;
  let index = names.get(key);
  if (index === undefined) {
    index = indexName(prefix, event.tenant, day);
    names.set(key, index);
  }
  const json = isJsonObject(source) ? source : Buffer.from(JSON.stringify(event));
  // The event's own JSON stays byte for byte what _source returns; the projection is appended as one
  // more member (the event has no `search` key: its fields are fixed by contracts §1).
  return {
    event,
    bytes: around(
      `{"create":{"_index":"${index}","_id":${JSON.stringify(event.id)}}}\n`,
      json.subarray(0, json.length - 1),
      `,"search":${JSON.stringify(search)}}\n`,
    ),
  };
}

const isJsonObject = (bytes: Uint8Array | undefined): bytes is Uint8Array =>
  bytes !== undefined && bytes.length > 1 && bytes[0] === 0x7b && bytes[bytes.length - 1] === 0x7d;

let scratch = Buffer.allocUnsafe(64 * 1024);

/** `head` + `middle` + `tail` as one buffer: the strings encoded once, into scratch, then copied. */
function around(head: string, middle: Uint8Array, tail: string): Buffer {
  const most = 3 * (head.length + tail.length); // UTF-8 bytes per UTF-16 unit: at most 3
  if (scratch.length < most) scratch = Buffer.allocUnsafe(most);
  const h = scratch.write(head, 0);
  const t = scratch.write(tail, h);
  const out = Buffer.allocUnsafe(h + middle.length + t);
  scratch.copy(out, 0, 0, h);
  out.set(middle, h);
  scratch.copy(out, h + middle.length, h, h + t);
  return out;
}
