import { tooManyRecords } from './recordLimit.ts';

/** Thrown inside the scan on text that is not JSON: JSON.parse reports it properly afterwards. */
const MALFORMED = Symbol('malformed JSON');

/**
 * Refuses (413) a JSON text that holds more than `max` records, before JSON.parse builds any of it:
 * JSON.parse of 3.5 million `{}` takes seconds and hundreds of megabytes, this scan neither.
 *
 * `path` names the keys from the root object down to the record arrays: `['streams', 'values']` counts
 * the elements of every `values` array of every element of the root's `streams` array. An empty path
 * means the root itself is the record array. The arrays along the way (OTLP resources and scopes, Loki
 * streams) are held to the same limit, so millions of empty envelopes are refused like millions of
 * records. Duplicate keys are all counted (JSON.parse keeps the last): a stricter count, never a looser.
 * Text that is not JSON stops the scan silently and is left to JSON.parse to report.
 */
export function limitJsonArrays(text: string, path: readonly string[], max: number): void {
  const counts = new Array<number>(Math.max(1, path.length)).fill(0);

  const walkArray = (start: number, level: number): number => {
    if (text.charCodeAt(start) !== 0x5b /* [ */) return skipValue(text, start);
    let i = skipSpace(text, start + 1);
    if (text.charCodeAt(i) === 0x5d /* ] */) return i + 1;
    for (;;) {
      if (++counts[level] > max) throw tooManyRecords(max);
      const deeper = level + 1 < path.length && text.charCodeAt(i) === 0x7b; /* { */
      i = skipSpace(text, deeper ? walkObject(i, level + 1) : skipValue(text, i));
      const c = text.charCodeAt(i);
      if (c === 0x5d /* ] */) return i + 1;
      if (c !== 0x2c /* , */) throw MALFORMED;
      i = skipSpace(text, i + 1);
    }
  };

  /** An object on the path: the value of `path[level]` is an array at `level`, the others are skipped. */
  const walkObject = (start: number, level: number): number => {
    let i = skipSpace(text, start + 1);
    if (text.charCodeAt(i) === 0x7d /* } */) return i + 1;
    for (;;) {
      if (text.charCodeAt(i) !== 0x22 /* " */) throw MALFORMED;
      const keyEnd = skipString(text, i);
      const key = readKey(text, i, keyEnd);
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== 0x3a /* : */) throw MALFORMED;
      i = skipSpace(text, i + 1);
      i = skipSpace(text, key === path[level] ? walkArray(i, level) : skipValue(text, i));
      const c = text.charCodeAt(i);
      if (c === 0x7d /* } */) return i + 1;
      if (c !== 0x2c /* , */) throw MALFORMED;
      i = skipSpace(text, i + 1);
    }
  };

  try {
    const root = skipSpace(text, 0);
    if (path.length === 0) walkArray(root, 0);
    else if (text.charCodeAt(root) === 0x7b /* { */) walkObject(root, 0);
  } catch (error) {
    if (error !== MALFORMED) throw error;
  }
}

/**
 * The texts of a body of concatenated JSON values (Splunk HEC's `{…}{…}` or `{…}\n{…}`), refused (413)
 * at the first value past `max`, before any is parsed; undefined when the text is not JSON values.
 */
export function concatenatedJson(text: string, max: number): string[] | undefined {
  const values: string[] = [];
  try {
    for (let i = skipSpace(text, 0); i < text.length; i = skipSpace(text, i)) {
      if (values.length === max) throw tooManyRecords(max);
      const end = skipValue(text, i);
      values.push(text.slice(i, end));
      i = end;
    }
  } catch (error) {
    if (error === MALFORMED) return undefined;
    throw error;
  }
  return values;
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** From the opening quote to just past the closing one; indexOf keeps long messages cheap to skip. */
function skipString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) throw MALFORMED;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

function readKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end)) as string; // escapes such as \u0073treams
  } catch {
    throw MALFORMED;
  }
}

/** Past one value of any kind, without building it; nesting is counted, not recursed into. */
function skipValue(text: string, start: number): number {
  let i = start;
  let depth = 0;
  for (;;) {
    if (i >= text.length) throw MALFORMED;
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i);
      if (depth === 0) return i;
      continue;
    }
    if (depth === 0 && (c === 0x2c || c === 0x5d || c === 0x7d || c <= 0x20)) {
      return i; // the end of a number, true, false or null
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
    i++;
  }
}
