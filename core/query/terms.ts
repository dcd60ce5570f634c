import { levelFromText } from '../event/levels.ts';
import { LEVELS, RESERVED_FIELDS, type ReservedField } from '../event/types.ts';
import { TimeInvalidError } from '../time/errors.ts';
import { parseTimeExpression } from '../time/expression.ts';
import type { Comparison, KeywordField, LeafNode, Span, TextNode } from './ast.ts';
import { QuerySyntaxError, quoteInput } from './errors.ts';
import type { FieldOp, LexToken } from './lexer.ts';
import { tokenize } from './tokenize.ts';
import { parseQueryNumber } from './values.ts';

const COMPARISONS: Readonly<Record<Exclude<FieldOp, ':'>, Comparison>> = {
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
};
/** Reserved fields every valid event has, so `field:*` on them is always true. */
const ALWAYS_PRESENT: ReadonlySet<string> = new Set(['id', 'ts', 'level', 'service', 'tenant', 'message']);
const ATTRS_PREFIX = 'attrs.';

type TermToken = Extract<LexToken, { kind: 'word' | 'phrase' | 'field' }>;

/** Turns one lexed term into a leaf node, checking what the lexer cannot (values, fields, wildcards). */
export function buildTerm(token: TermToken, nowMs: number): LeafNode {
  const span = { start: token.start, end: token.end };
  if (token.kind === 'phrase') return textNode(token.text, false, token.start, span);
  if (token.kind === 'word') {
    if (token.text === '*') return { type: 'all', ...span };
    const star = splitPrefix(token.text, token.start);
    return textNode(star.stem, star.prefix, token.start, span);
  }
  return buildFieldTerm(token, nowMs, span);
}

/**
 * A bare word or value may end in one `*` (a prefix); a `*` anywhere else is refused rather than
 * silently searched as a separator, so nobody believes `a*b` is a wildcard that worked.
 */
function splitPrefix(text: string, start: number): { stem: string; prefix: boolean } {
  const star = text.indexOf('*');
  if (star === -1) return { stem: text, prefix: false };
  if (star !== text.length - 1) {
    throw new QuerySyntaxError(
      `'*' is only allowed at the end of a word, at position ${start + star}`,
      start + star,
    );
  }
  return { stem: text.slice(0, -1), prefix: true };
}

/** Quotes make a value literal: only a bare value can end in a prefix `*`. */
function fieldValue(value: string, quoted: boolean, valueStart: number): { stem: string; prefix: boolean } {
  return quoted ? { stem: value, prefix: false } : splitPrefix(value, valueStart);
}

function textNode(text: string, prefix: boolean, start: number, span: Span): TextNode {
  const tokens = tokenize(text);
  if (tokens.length === 0) {
    throw new QuerySyntaxError(
      `nothing to search for in ${quoteInput(text)} at position ${start}: full-text terms need letters or digits`,
      start,
    );
  }
  if (prefix && !/[\p{L}\p{N}]$/u.test(text)) {
    throw new QuerySyntaxError(
      `a prefix needs a letter or digit right before '*', at position ${start + text.length}`,
      start + text.length,
    );
  }
  return { type: 'text', tokens, prefix, ...span };
}

function buildFieldTerm(token: Extract<TermToken, { kind: 'field' }>, nowMs: number, span: Span): LeafNode {
  const { name, op, value, quoted, valueStart } = token;
  const isAttrsPath = name.startsWith(ATTRS_PREFIX) && name.length > ATTRS_PREFIX.length;
  const reserved = !isAttrsPath && (RESERVED_FIELDS as readonly string[]).includes(name);
  const exists = op === ':' && !quoted && value === '*';
  if (!reserved) {
    const attr = isAttrsPath ? name.slice(ATTRS_PREFIX.length) : name;
    return buildAttrTerm(attr, op, value, quoted, valueStart, span);
  }
  const field = name as ReservedField;
  if (exists) {
    if (ALWAYS_PRESENT.has(field)) return { type: 'all', ...span };
    return { type: 'keyword', field: field as KeywordField, op: 'exists', value: '', ...span };
  }
  if (field === 'message') {
    if (op !== ':') throw unsupported(field, 'comparisons; use message:word', token.start);
    const star = fieldValue(value, quoted, valueStart);
    return textNode(star.stem, star.prefix, valueStart, span);
  }
  const cmp = op === ':' ? 'eq' : COMPARISONS[op];
  if (field === 'level') {
    // Read as ingest reads a level field, so whatever spelling an event came with finds it.
    const level = levelFromText(value);
    if (level === null) {
      throw new QuerySyntaxError(
        `unknown level ${quoteInput(value)} at position ${valueStart}; expected one of ${LEVELS.join(', ')}`,
        valueStart,
      );
    }
    return { type: 'level', op: cmp, level, ...span };
  }
  if (field === 'ts') return { type: 'ts', op: cmp, ms: readTime(value, valueStart, nowMs), value, ...span };
  if (cmp !== 'eq') throw unsupported(field, "comparisons; use ':'", token.start);
  const star = fieldValue(value, quoted, valueStart);
  return {
    type: 'keyword',
    field: field as KeywordField,
    op: star.prefix ? 'prefix' : 'eq',
    value: star.stem,
    ...span,
  };
}

function buildAttrTerm(
  name: string,
  op: FieldOp,
  value: string,
  quoted: boolean,
  valueStart: number,
  span: Span,
): LeafNode {
  if (op !== ':') {
    const number = parseQueryNumber(value);
    if (number === null) {
      throw new QuerySyntaxError(
        `expected a number after '${name}${op}' at position ${valueStart}; to search for text containing '${op}', quote it`,
        valueStart,
      );
    }
    return { type: 'attr', name, op: COMPARISONS[op], value, number, ...span };
  }
  if (!quoted && value === '*') return { type: 'attr', name, op: 'exists', value: '', number: null, ...span };
  const star = fieldValue(value, quoted, valueStart);
  if (star.prefix) return { type: 'attr', name, op: 'prefix', value: star.stem, number: null, ...span };
  return { type: 'attr', name, op: 'eq', value, number: parseQueryNumber(value), ...span };
}

function readTime(value: string, valueStart: number, nowMs: number): number {
  try {
    return parseTimeExpression(value, nowMs);
  } catch (err) {
    if (err instanceof TimeInvalidError)
      throw new QuerySyntaxError(`${err.message}, at position ${valueStart}`, valueStart);
    throw err;
  }
}

function unsupported(field: string, what: string, position: number): QuerySyntaxError {
  return new QuerySyntaxError(
    `field '${field}' does not support ${what} (at position ${position})`,
    position,
  );
}
