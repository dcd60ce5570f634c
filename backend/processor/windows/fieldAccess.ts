import type { AttrValue, LogEvent } from '../../../core/event/types.ts';
import { RESERVED_FIELDS } from '../../../core/event/types.ts';

/**
 * Reads a field the way the query language names it: a reserved field (`level`, `host`, …) from the
 * event, anything else from `attrs`, with or without the `attrs.` prefix (`http.status` and
 * `attrs.http.status` are the same attribute, since nested input is flattened with dots).
 */
export type FieldReader = (event: LogEvent) => AttrValue | undefined;

const RESERVED = new Set<string>(RESERVED_FIELDS);

export function attributeName(field: string): string {
  return field.startsWith('attrs.') ? field.slice('attrs.'.length) : field;
}

export function compileFieldReader(field: string): FieldReader {
  if (RESERVED.has(field)) {
    const name = field as keyof LogEvent;
    return (event) => event[name] as AttrValue | undefined;
  }
  const name = attributeName(field);
  return (event) => event.attrs[name];
}

/** A number, or a string that is one (`"12.5"`); anything else does not take part in numeric aggregates. */
export function numericValue(value: AttrValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** The label text for count_by; missing and null values do not take part. */
export function labelValue(value: AttrValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}
