import * as v from 'valibot';
import { LEVELS, type LogEvent } from './types.ts';

/** RFC 3339 with a zone, fractional seconds up to nanoseconds. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const timestamp = v.pipe(v.string(), v.regex(RFC3339, 'expected an RFC 3339 timestamp'));
const optionalText = v.optional(v.pipe(v.string(), v.maxLength(256)));

/**
 * The event of contracts.md §1 as it travels between Sluice's own components (after normalization).
 * Input from outside goes through normalizeRecord first; this schema checks what comes off the bus.
 */
export const eventSchema = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  ts: timestamp,
  observed_ts: timestamp,
  level: v.picklist(LEVELS),
  service: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  host: optionalText,
  env: optionalText,
  tenant: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  correlation_id: optionalText,
  trace_id: optionalText,
  span_id: optionalText,
  message: v.string(),
  attrs: v.record(v.string(), v.union([v.string(), v.number(), v.boolean(), v.null()])),
});

/** Checks an event; returns it typed, or the first problem as "field: what is wrong". */
export function validateEvent(input: unknown): { ok: true; event: LogEvent } | { ok: false; reason: string } {
  const result = v.safeParse(eventSchema, input);
  if (result.success) return { ok: true, event: result.output as LogEvent };
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? '(event)';
  return { ok: false, reason: `${path}: ${issue.message}` };
}
