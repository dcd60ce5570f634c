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
 * Events as `_bulk` NDJSON, serialized once here so the indexer only concatenates strings.
 * The op is `create` with `_id` = event id: a redelivered event answers 409 (already there), which
 * counts as indexed — idempotent without rewriting the document, which `index` would do.
 */
export interface BulkEntry {
  event: LogEvent;
  /** Action line and document line, each ending in a newline. */
  ndjson: string;
}

/** OpenSearch refuses longer `_id`s. */
const MAX_ID_BYTES = 512;

/** The entry, or why OpenSearch could never store the event (the caller routes it to logs.dlq). */
export function bulkEntry(
  prefix: string,
  event: LogEvent,
  names: Map<string, string>,
  tiebreak: Tiebreak = idTiebreak,
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
  const source = JSON.stringify(event);
  // The event's own JSON stays byte for byte what _source returns; the projection is appended as one
  // more member (the event has no `search` key: its fields are fixed by contracts §1).
  const doc = `${source.slice(0, -1)},"search":${JSON.stringify(search)}}`;
  return { event, ndjson: `{"create":{"_index":"${index}","_id":${JSON.stringify(event.id)}}}\n${doc}\n` };
}
