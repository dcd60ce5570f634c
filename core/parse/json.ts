import { aliasOf } from '../event/aliases.ts';
import { unparsed } from './plain.ts';
import type { ParsedRecord } from './types.ts';

/** Bounds the parse error kept as an attribute: V8 quotes the input in some messages. */
const MAX_ERROR = 200;

/**
 * One JSON object per line, kept as parsed: normalizing maps its aliases (`msg`, `@timestamp`,
 * `correlationId`, …) and flattens the rest into attrs. A line that is not a JSON object is kept as a
 * plain message with `sluice.parse_error` saying why.
 */
export function parseJson(line: string): ParsedRecord {
  let start = 0;
  // A UTF-8 byte order mark opens some files; JSON.parse rejects it, whitespace it accepts.
  if (line.charCodeAt(0) === 0xfeff) start = 1;
  while (start < line.length && isJsonSpace(line.charCodeAt(start))) start++;
  const first = line.charCodeAt(start);
  // Deciding non-objects from the first character spares the thrown exception, which costs far more
  // than a successful parse; plain lines in a JSON file are common (panics, startup banners).
  if (first !== 123 /* { */) return unparsed(line, `json: expected an object, ${describeStart(line, start)}`);
  let value: unknown;
  try {
    value = JSON.parse(start === 0 ? line : line.slice(start));
  } catch (error) {
    const reason = (error as Error).message;
    return unparsed(line, `json: ${reason.length > MAX_ERROR ? `${reason.slice(0, MAX_ERROR)}…` : reason}`);
  }
  const record = value as ParsedRecord;
  // An object without a message would be refused by normalizing; the line itself is the best message.
  if (!hasMessage(record)) record.message = line;
  return record;
}

function hasMessage(record: ParsedRecord): boolean {
  if (isScalar(record.message) || isScalar(record.msg) || isScalar(record.log)) return true;
  for (const key in record) {
    if (Object.hasOwn(record, key) && aliasOf(key)?.target === 'message' && isScalar(record[key]))
      return true;
  }
  return false;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** Names what the line holds instead of an object, without paying for a failed JSON.parse. */
function describeStart(line: string, start: number): string {
  const rest = line.slice(start).trimEnd();
  if (rest === '') return 'got an empty line';
  const first = rest.charCodeAt(0);
  const last = rest.charCodeAt(rest.length - 1);
  if (first === 91 && last === 93) return 'got an array';
  if (first === 34 && last === 34 && rest.length > 1) return 'got a string';
  if (rest === 'true' || rest === 'false') return 'got a boolean';
  if (rest === 'null') return 'got null';
  if (Number.isFinite(Number(rest))) return 'got a number';
  return `got text starting ${JSON.stringify(rest.slice(0, 16))}`;
}
