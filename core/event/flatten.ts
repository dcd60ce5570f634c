import type { AttrValue } from './types.ts';

/** Deeper input is kept as JSON text at this depth rather than flattened further. */
export const MAX_FLATTEN_DEPTH = 16;

/**
 * Flattens nested objects into dotted keys (`{"http":{"status":504}}` → `http.status: 504`), the shape
 * events keep in `attrs`. Arrays and objects past MAX_FLATTEN_DEPTH are kept as JSON text so nothing is lost.
 * Calls `visit` once per scalar leaf in input order.
 */
export function flatten(value: Record<string, unknown>, visit: (key: string, leaf: AttrValue) => void): void {
  walk(value, '', 0, visit);
}

function walk(
  obj: Record<string, unknown>,
  prefix: string,
  depth: number,
  visit: (k: string, v: AttrValue) => void,
) {
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    const v = obj[key];
    const path = prefix === '' ? key : joinPath(prefix, key);
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      visit(path, v as AttrValue);
    } else if (typeof v === 'object' && !Array.isArray(v) && depth < MAX_FLATTEN_DEPTH) {
      walk(v as Record<string, unknown>, path, depth + 1, visit);
    } else if (typeof v === 'bigint') {
      visit(path, v.toString());
    } else if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol') {
      visit(path, JSON.stringify(v));
    }
  }
}

/** Dotted paths made so far, by prefix and key; bounded, cleared when full. */
const PATHS_LIMIT = 4096;
const paths = new Map<string, Map<string, string>>();
let pathCount = 0;

/**
 * `${prefix}.${key}`, the same string object each time: records repeat their nested keys line after
 * line, and a path used before has its hash computed and is internalized already, so every lookup
 * and attribute write that follows (aliases, masking verdicts, attrs) skips that work.
 */
function joinPath(prefix: string, key: string): string {
  let byKey = paths.get(prefix);
  if (byKey === undefined) {
    if (pathCount >= PATHS_LIMIT) {
      paths.clear();
      pathCount = 0;
    }
    byKey = new Map();
    paths.set(prefix, byKey);
  }
  let path = byKey.get(key);
  if (path === undefined) {
    path = `${prefix}.${key}`;
    pathCount++;
    byKey.set(key, path);
  }
  return path;
}
