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
    const path = prefix === '' ? key : `${prefix}.${key}`;
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
