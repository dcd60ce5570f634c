/**
 * A logfmt/regex/syslog value as the attribute it becomes: a number when the text is a plain decimal
 * that prints back exactly as written, so `http.status>=500` compares numerically; otherwise the text.
 * The round trip is the whole rule: `0193f2c4…` and `007` (ids with leading zeros), `1.50`, `1e5`, `-0`,
 * `0x1F` and integers past 2^53 all stay text, because turning them into numbers would change them.
 */
export function scalarOf(text: string): string | number {
  const first = text.charCodeAt(0);
  // Cheap rejection first: most values are words, and Number() + String() cost more than one char test.
  if (!((first >= 48 && first <= 57) || first === 45) || text.length > 24) return text;
  const n = Number(text);
  return Number.isFinite(n) && String(n) === text ? n : text;
}

/**
 * Sets a field whose key came from the input. `record[key] = value` with key `__proto__` would change the
 * record's prototype (or, for scalars, silently drop the key), so that one key is defined as own data.
 */
export function setField(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    record[internedKey(key)] = value;
  }
}

// Keys repeat from line to line. A key sliced from a line is a fresh string that V8 must look up in
// its string table on every store; handing it the same string object each time lets the store hit
// V8's property caches instead. Bounded and cleared when full, so hostile input cannot grow it.
const KEY_CACHE_LIMIT = 4096;
const keys = new Map<string, string>();

function internedKey(key: string): string {
  const known = keys.get(key);
  if (known !== undefined) return known;
  if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
  keys.set(key, key);
  return key;
}
