import { validateEvent } from './schema.ts';
import { LEVELS, type LogEvent } from './types.ts';

/**
 * A bus record header saying "this value is an event Sluice itself wrote, already checked against
 * eventSchema": the gateway sets it on logs.raw (after normalizing and validating), the processor on
 * logs.enriched. A reader seeing it parses the JSON and checks only the shape it dereferences, instead
 * of validating every field again. The version changes when the event's wire form does; a record
 * without the header (another producer, an older Sluice) is validated in full.
 */
export const EVENT_SCHEMA_HEADER = 'sluice-schema';
export const EVENT_SCHEMA_VERSION = 'event/1';

/** The headers of a record holding one event Sluice wrote (shared: never mutate). */
export const EVENT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  [EVENT_SCHEMA_HEADER]: EVENT_SCHEMA_VERSION,
});

export type ReadEvent =
  | { ok: true; event: LogEvent }
  | { ok: false; stage: 'decode' | 'validate'; reason: string };

const decoder = new TextDecoder();
const LEVEL_SET: ReadonlySet<string> = new Set(LEVELS);

/** One bus record's value as an event: parsed once, validated in full unless Sluice wrote it. */
export function readEvent(value: Uint8Array, headers: Record<string, string> | undefined): ReadEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(value));
  } catch (error) {
    return { ok: false, stage: 'decode', reason: `not JSON: ${(error as Error).message}` };
  }
  if (isSluiceEvent(headers) && hasEventShape(parsed)) return { ok: true, event: parsed };
  const valid = validateEvent(parsed);
  return valid.ok ? valid : { ok: false, stage: 'validate', reason: valid.reason };
}

/** The record says Sluice wrote it: its value is the JSON of an event eventSchema accepted, nothing more. */
export function isSluiceEvent(headers: Record<string, string> | undefined): boolean {
  return headers?.[EVENT_SCHEMA_HEADER] === EVENT_SCHEMA_VERSION;
}

/**
 * The fields every reader dereferences have their types: a record whose header was forged or whose
 * writer was broken falls through to the full validation (and its clear refusal) rather than to a
 * TypeError deep in a stage.
 */
function hasEventShape(x: unknown): x is LogEvent {
  const e = x as Partial<LogEvent> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    typeof e.ts === 'string' &&
    typeof e.observed_ts === 'string' &&
    typeof e.service === 'string' &&
    typeof e.tenant === 'string' &&
    typeof e.message === 'string' &&
    typeof e.level === 'string' &&
    LEVEL_SET.has(e.level) &&
    typeof e.attrs === 'object' &&
    e.attrs !== null
  );
}
