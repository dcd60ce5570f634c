/** Levels in ascending severity; the query language compares by this order. */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];

/** An attribute value: events keep attributes flat, nested input is flattened with dots. */
export type AttrValue = string | number | boolean | null;

/**
 * The event as contracts.md §1 defines it: JSON on every wire and in every store.
 * Optional fields are absent rather than null when unknown.
 */
export interface LogEvent {
  id: string;
  ts: string;
  observed_ts: string;
  level: Level;
  service: string;
  host?: string;
  env?: string;
  tenant: string;
  correlation_id?: string;
  trace_id?: string;
  span_id?: string;
  message: string;
  attrs: Record<string, AttrValue>;
}

/** Fields the query language treats as columns; every other field name is an attribute. */
export const RESERVED_FIELDS = [
  'id',
  'ts',
  'level',
  'service',
  'host',
  'env',
  'tenant',
  'correlation_id',
  'trace_id',
  'span_id',
  'message',
] as const;
export type ReservedField = (typeof RESERVED_FIELDS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}
