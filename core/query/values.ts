import type { AttrValue } from '../event/types.ts';

/**
 * What "the value parses as a number" means for attribute terms: a plain decimal, optionally signed,
 * with an optional fraction and exponent (`504`, `-1.5`, `.5`, `2e3`). Not hex, not `1_000`, not
 * `Infinity`: those compare as strings.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseQueryNumber(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * An attribute as the query language sees it: JSON scalars only. null, non-finite numbers (which
 * JSON cannot carry, so no store holds them) and non-scalars (flattening should have removed them)
 * all count as missing.
 */
export function readAttr(
  attrs: Record<string, AttrValue>,
  name: string,
): string | number | boolean | undefined {
  if (!Object.hasOwn(attrs, name)) return undefined;
  const value = attrs[name];
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

/**
 * The text form an attribute is compared as for `:` with a non-numeric value and for prefixes:
 * strings as they are, numbers in their JSON form (the shortest round-trip decimal, as stored in
 * every store's JSON), booleans as `true` / `false`.
 */
export function attrText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}
