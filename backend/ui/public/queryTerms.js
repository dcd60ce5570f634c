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

/**
 * `q` filtered to `field:value` (or, with `negate`, leaving it out): the opposite term for the same
 * value is taken out first, so excluding a value that was included gives the other events, not none.
 * Only terms at the top level of an AND-only query are taken out; inside an OR they stay (then the new
 * term is ANDed to the whole, as addTerm does). Null when the field or value cannot be written.
 */
export function setTerm(q, field, value, negate = false) {
  const term = fieldTerm(field, value, negate);
  if (term === null) return null;
  const tokens = topLevelTokens(q);
  if (tokens === null || tokens.some((t) => t === 'OR')) return addTerm(q, term);
  const positive = fieldTerm(field, value);
  const kept = [];
  for (const token of tokens) {
    const same = token === positive || token === `-${positive}`;
    if (!same) {
      kept.push(token);
      continue;
    }
    // Take a NOT or an AND written before the term out with it, so what is left still parses.
    if (kept.at(-1) === 'NOT') kept.pop();
    if (kept.at(-1) === 'AND') kept.pop();
  }
  while (kept[0] === 'AND') kept.shift();
  if (kept.includes(term)) return kept.join(' ');
  return addTerm(kept.join(' '), term);
}

/** The whitespace-separated terms of `q` outside quotes and parentheses, or null when they do not balance. */
function topLevelTokens(q) {
  const tokens = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < q.length; i++) {
    const c = q[i];
    if (quoted) {
      current += c;
      if (c === '\\' && i + 1 < q.length) current += q[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (/\s/u.test(c) && depth === 0) {
      if (current !== '') tokens.push(current);
      current = '';
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return null;
    current += c;
  }
  if (quoted || depth !== 0) return null;
  if (current !== '') tokens.push(current);
  return tokens;
}
