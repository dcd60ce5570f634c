/**
 * Query text the UI writes for the user (the filter buttons of an expanded event). It follows
 * docs/query-language.md: field names as the lexer accepts them, values quoted when they hold spaces,
 * parentheses, quotes or a `*` (which would otherwise mean a prefix), with `\` and `"` escaped.
 */

import { RESERVED_FIELDS } from './eventFields.js';

const FIELD_NAME = /^[\p{L}_@](?:[\p{L}\p{N}_.@-]*[\p{L}\p{N}_])?$/u;

/** Event fields a filter button can be built on (`level:error`): the reserved fields but id, ts and message. */
export const FILTER_FIELDS = RESERVED_FIELDS.filter((name) => !['id', 'ts', 'message'].includes(name));
const RESERVED = new Set(RESERVED_FIELDS);

/** `attrs.level` for an attribute that shares a reserved field's name, the bare name otherwise. */
export function attrField(name) {
  return RESERVED.has(name) ? `attrs.${name}` : name;
}

export function quoteValue(value) {
  const text = String(value);
  if (text !== '' && /^[^\s()"*\\]+$/u.test(text)) return text;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `field:value` (or `-field:value`), or null when the field or value cannot be expressed. */
export function fieldTerm(field, value, negate = false) {
  if (!FIELD_NAME.test(field)) return null;
  if (value === null || value === undefined || typeof value === 'object') return null;
  return `${negate ? '-' : ''}${field}:${quoteValue(value)}`;
}

/** `q` with `term` added (adjacency is AND); an OR at the top level is grouped first so it stays intact. */
export function addTerm(q, term) {
  const current = q.trim();
  if (current === '' || current === '*') return term;
  return /\bOR\b/.test(current) ? `(${current}) ${term}` : `${current} ${term}`;
}
