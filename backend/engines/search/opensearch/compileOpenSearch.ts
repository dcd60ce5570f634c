import type { LogEvent } from '../../../../core/event/types.ts';
import { levelRank } from '../../../../core/event/types.ts';
import type { AttrNode, Comparison, KeywordNode, QueryNode, TextNode } from '../../../../core/query/ast.ts';
import { QueryTooComplexError } from '../../../../core/query/errors.ts';
import { isSearchableToken, tokenize } from '../../../../core/query/tokenize.ts';
import { attrText, readAttr } from '../../../../core/query/values.ts';

/**
 * Compiles a query AST to OpenSearch query DSL over the documents `openSearchSearchFields` describes,
 * with exactly the semantics of `evaluate` (property-tested in test/integration/search/).
 *
 * The store does not trust an OpenSearch analyzer with the token rule: the document carries the
 * message's tokens already computed by `tokenize` (joined by spaces in `search.tokens`, a text field
 * under the built-in `whitespace` analyzer), exactly as SQLite indexes `sqliteFtsText`. So matching
 * agrees with `evaluate` by construction, independent of Java's Unicode tables, and needs no
 * analysis plugin (the minimal OpenSearch distribution has none).
 *
 * User text never becomes query syntax: every value lands in a term-level query (`term`, `prefix`,
 * `range`, `exists`, span/phrase queries on pre-folded tokens), never in `query_string`.
 */
export type OpenSearchQuery = Record<string, unknown>;

/** Where each projection lives in the indexed document (see openSearchSearchFields). */
export const OPENSEARCH_FIELDS = {
  ts: 'search.ts',
  tokens: 'search.tokens',
  levelRank: 'search.level_rank',
  attrKeys: 'search.attr_keys',
  attrText: 'search.attr_text',
  attrNum: 'search.attr_num',
  attrNumbers: 'search.attr_numbers',
} as const;

/** Lucene's whitespace tokenizer cuts tokens at 255 UTF-16 units; both sides truncate there the same way. */
export const MAX_TOKEN_UNITS = 255;
/** Keyword values longer than this are kept in _source but not indexed (`ignore_above`). */
export const MAX_KEYWORD_UNITS = 8191;
/** Attribute names longer than this are not indexed; with MAX_ATTR_TEXT_UNITS a term stays < 32 KiB. */
export const MAX_ATTR_NAME_UNITS = 1024;
/** Attribute text is indexed up to this many units, plus one more as a "longer than" marker. */
export const MAX_ATTR_TEXT_UNITS = 8192;
/** date_nanos holds 1970-01-01 to 2262-04-11T23:47:16.854775807Z. */
export const MAX_DATE_NANOS_MS = 9_223_372_036_854;

const MATCH_ALL: OpenSearchQuery = Object.freeze({ match_all: {} });
const MATCH_NONE: OpenSearchQuery = Object.freeze({ match_none: {} });
/** Negations this compiler built, mapped to what they negate, so NOT NOT x folds to x. */
const NEGATED = new WeakMap<OpenSearchQuery, OpenSearchQuery>();

export function compileOpenSearch(node: QueryNode): OpenSearchQuery {
  switch (node.type) {
    case 'and':
      return allOf(flatten(node.children, 'and').map(compileOpenSearch));
    case 'or':
      return anyOf(flatten(node.children, 'or').map(compileOpenSearch));
    case 'not':
      return negate(compileOpenSearch(node.child));
    case 'all':
      return MATCH_ALL;
    case 'text':
      return compileText(node);
    case 'keyword':
      return compileKeyword(node);
    case 'attr':
      return compileAttr(node);
    case 'level':
      return comparison(OPENSEARCH_FIELDS.levelRank, node.op, levelRank(node.level));
    case 'ts':
      return compileTime(node.op, node.ms);
  }
}

/** `(a b) c` is written nested but means `a b c`: flattening keeps the bool tree shallow. */
function flatten(children: readonly QueryNode[], type: 'and' | 'or'): QueryNode[] {
  return children.flatMap((child) => (child.type === type ? flatten(child.children, type) : [child]));
}

/** AND as one bool: positive children in `filter` (no scoring), negations folded into `must_not`. */
function allOf(parts: OpenSearchQuery[]): OpenSearchQuery {
  const filter: OpenSearchQuery[] = [];
  const mustNot: OpenSearchQuery[] = [];
  for (const part of parts) {
    if (part === MATCH_NONE) return MATCH_NONE;
    if (part === MATCH_ALL) continue;
    const inner = NEGATED.get(part);
    if (inner === undefined) filter.push(part);
    else mustNot.push(inner);
  }
  if (mustNot.length === 0)
    return filter.length === 0 ? MATCH_ALL : filter.length === 1 ? filter[0] : bool({ filter });
  // A bool holding only must_not matches every document but those, which is NOT's meaning.
  return bool(filter.length === 0 ? { must_not: mustNot } : { filter, must_not: mustNot });
}

function anyOf(parts: OpenSearchQuery[]): OpenSearchQuery {
  const should = parts.filter((part) => part !== MATCH_NONE);
  if (should.includes(MATCH_ALL)) return MATCH_ALL;
  if (should.length <= 1) return should[0] ?? MATCH_NONE;
  return bool({ should, minimum_should_match: 1 });
}

/** `must_not` also matches documents lacking the field, which is what NOT means for missing fields. */
function negate(query: OpenSearchQuery): OpenSearchQuery {
  if (query === MATCH_ALL) return MATCH_NONE;
  if (query === MATCH_NONE) return MATCH_ALL;
  const inner = NEGATED.get(query);
  if (inner !== undefined) return inner;
  const negation = bool({ must_not: [query] });
  NEGATED.set(negation, query);
  return negation;
}

function bool(clauses: Record<string, unknown>): OpenSearchQuery {
  return { bool: clauses };
}

/**
 * Lucene's whitespace tokenizer emits a token once it holds ≥ 255 units, so a surrogate pair
 * crossing the boundary stays whole (256). The document side truncates the same way before sending.
 */
export function boundToken(token: string): string {
  if (token.length <= MAX_TOKEN_UNITS) return token;
  const high = token.charCodeAt(MAX_TOKEN_UNITS - 1);
  const cut = high >= 0xd800 && high <= 0xdbff ? MAX_TOKEN_UNITS + 1 : MAX_TOKEN_UNITS;
  return token.slice(0, cut);
}

function compileText(node: TextNode): OpenSearchQuery {
  // Tokens a message can never hold match nothing, as in evaluate (only hand-built ASTs have them).
  if (node.tokens.length === 0 || !node.tokens.every(isSearchableToken)) return MATCH_NONE;
  const field = OPENSEARCH_FIELDS.tokens;
  const tokens = node.tokens.map(boundToken);
  const last = tokens[tokens.length - 1];
  if (tokens.length === 1)
    return node.prefix ? { prefix: { [field]: { value: last } } } : { term: { [field]: last } };
  // Consecutive positions, in order: a phrase. The tokens are already folded and hold no whitespace,
  // so the whitespace analyzer gives back exactly these terms.
  if (!node.prefix)
    return { match_phrase: { [field]: { query: tokens.join(' '), analyzer: 'whitespace', slop: 0 } } };
  // A phrase ending in a prefix: span_multi expands the prefix (failing beyond max_clause_count,
  // which the store reports as query_too_complex rather than answering approximately).
  const clauses: OpenSearchQuery[] = tokens.slice(0, -1).map((token) => ({ span_term: { [field]: token } }));
  clauses.push({ span_multi: { match: { prefix: { [field]: { value: last } } } } });
  return { span_near: { clauses, slop: 0, in_order: true } };
}

function compileKeyword(node: KeywordNode): OpenSearchQuery {
  const field = node.field;
  if (node.op === 'exists' || (node.op === 'prefix' && node.value === '')) return { exists: { field } };
  checkLength(node.value, MAX_KEYWORD_UNITS, `${field} values`, node);
  if (node.op === 'prefix') return { prefix: { [field]: { value: node.value } } };
  return { term: { [field]: node.value } };
}

function compileAttr(node: AttrNode): OpenSearchQuery {
  checkLength(node.name, MAX_ATTR_NAME_UNITS, 'attribute names', node);
  const key = attrKey(node.name);
  switch (node.op) {
    case 'exists':
      return { term: { [OPENSEARCH_FIELDS.attrKeys]: key } };
    case 'prefix':
      checkLength(node.value, MAX_ATTR_TEXT_UNITS + 1, 'attribute prefixes', node);
      return { prefix: { [OPENSEARCH_FIELDS.attrText]: { value: `${key}\u0000${node.value}` } } };
    case 'eq': {
      checkLength(node.value, MAX_ATTR_TEXT_UNITS, 'attribute values', node);
      // Text equality on a number implies numeric equality (a number's text is its shortest
      // round-trip form), so one text term covers strings and booleans without widening numbers.
      const text = { term: { [OPENSEARCH_FIELDS.attrText]: `${key}\u0000${node.value}` } };
      if (node.number === null) return text;
      return anyOf([{ term: { [OPENSEARCH_FIELDS.attrNum]: numberTerm(key, node.number) } }, text]);
    }
    default:
      return numberRange(key, node.op, node.number as number);
  }
}

function checkLength(value: string, max: number, what: string, node: QueryNode): void {
  if (value.length > max)
    throw new QueryTooComplexError(
      `${what} longer than ${max} characters cannot be searched (at position ${node.start})`,
      node.start,
    );
}

/** Numeric comparisons as a keyword range over this attribute's order-preserving number terms. */
function numberRange(key: string, op: Comparison, value: number): OpenSearchQuery {
  const bound = numberTerm(key, value);
  // Every number term of `key` lies in [key\0, key\0g): the encoding is 16 lower-case hex digits.
  const low = `${key}\u0000`;
  const high = `${key}\u0000g`;
  const range = op === 'gt' || op === 'gte' ? { [op]: bound, lt: high } : { gte: low, [op]: bound };
  return { range: { [OPENSEARCH_FIELDS.attrNum]: range } };
}

function comparison(field: string, op: 'eq' | Comparison, value: number): OpenSearchQuery {
  return op === 'eq' ? { term: { [field]: value } } : { range: { [field]: { [op]: value } } };
}

/** `ts` terms compare at millisecond resolution; date_nanos holds ns, so bounds shift by a whole ms. */
function compileTime(op: 'eq' | Comparison, ms: number): OpenSearchQuery {
  switch (op) {
    case 'eq':
      return tsRangeQuery(ms, ms + 1);
    case 'gt':
      return tsRangeQuery(ms + 1, null);
    case 'gte':
      return tsRangeQuery(ms, null);
    case 'lt':
      return tsRangeQuery(null, ms);
    case 'lte':
      return tsRangeQuery(null, ms + 1);
  }
}

/**
 * Events with from ≤ ts(ms) < to on the date_nanos field; null leaves a side open. Bounds outside
 * what date_nanos can hold are clamped (OpenSearch refuses them), which cannot change the answer:
 * no document lies outside.
 */
export function tsRangeQuery(fromMs: number | null, toMs: number | null): OpenSearchQuery {
  const from = fromMs !== null && fromMs > 0 ? fromMs : null;
  const to = toMs !== null && toMs <= MAX_DATE_NANOS_MS ? toMs : null;
  if ((toMs !== null && toMs <= 0) || (fromMs !== null && fromMs > MAX_DATE_NANOS_MS)) return MATCH_NONE;
  if (from === null && to === null) return MATCH_ALL;
  const range: Record<string, unknown> = { format: 'epoch_millis' };
  if (from !== null) range.gte = from;
  if (to !== null) range.lt = to;
  return { range: { [OPENSEARCH_FIELDS.ts]: range } };
}

/**
 * An attribute name as it prefixes its terms. NUL separates name from value, so NUL (and the escape
 * character) inside names are escaped: distinct names never share a `key\0` prefix.
 */
export function attrKey(name: string): string {
  return /[\u0000\u0001]/.test(name)
    ? name.replace(/[\u0000\u0001]/g, (c) => `\u0001${c === '\u0000' ? '0' : '1'}`)
    : name;
}

const numberView = new DataView(new ArrayBuffer(8));

/**
 * `key\0` + 16 hex digits whose string order is the numeric order of the double: the IEEE 754 bits
 * with the sign bit flipped for positives and all bits flipped for negatives. -0 is written as 0
 * because evaluate's === and >= treat them alike.
 */
export function numberTerm(key: string, value: number): string {
  numberView.setFloat64(0, value === 0 ? 0 : value);
  let high = numberView.getUint32(0);
  let low = numberView.getUint32(4);
  if (high >= 0x80000000) {
    high = ~high >>> 0;
    low = ~low >>> 0;
  } else {
    high = (high | 0x80000000) >>> 0;
  }
  return `${key}\u0000${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`;
}

/** The search-only projection of an event, indexed under `search` and kept out of `_source`. */
export interface OpenSearchSearchFields {
  /** The normalized event time (RFC 3339, Z, up to ns) as date_nanos. */
  ts: string;
  /** The message's tokens (tokenize), each bounded like boundToken, joined by spaces. */
  tokens: string;
  level_rank: number;
  /** Names of the scalar attributes (attrKey), for `name:*`. */
  attr_keys?: string[];
  /** `key\0text` for every scalar attribute: exact text and prefixes. */
  attr_text?: string[];
  /** `key\0<sortable hex>` for every numeric attribute: numeric equality and ranges. */
  attr_num?: string[];
  /** (attrKey, number) for every numeric attribute: aggregations' numeric inputs. */
  attr_numbers?: Array<{ k: string; n: number }>;
}

/** Builds the projection; `tsIso` is parseTimestamp(event.ts).iso, `level_rank` -1 for an unknown level. */
export function openSearchSearchFields(event: LogEvent, tsIso: string): OpenSearchSearchFields {
  const tokens = tokenize(event.message);
  for (let i = 0; i < tokens.length; i++) tokens[i] = boundToken(tokens[i]);
  const fields: OpenSearchSearchFields = {
    ts: tsIso,
    tokens: tokens.join(' '),
    level_rank: levelRank(event.level),
  };
  const keys: string[] = [];
  const texts: string[] = [];
  const numbers: string[] = [];
  const pairs: Array<{ k: string; n: number }> = [];
  for (const name in event.attrs) {
    const value = readAttr(event.attrs, name);
    // Missing, null, non-finite and non-scalar values count as missing (values.ts); overlong names
    // are kept in _source only, so a term can never exceed Lucene's 32 KiB limit.
    if (value === undefined || name.length > MAX_ATTR_NAME_UNITS) continue;
    const key = attrKey(name);
    keys.push(key);
    texts.push(`${key}\u0000${boundAttrText(attrText(value))}`);
    if (typeof value === 'number') {
      numbers.push(numberTerm(key, value));
      pairs.push({ k: key, n: value });
    }
  }
  if (keys.length > 0) {
    fields.attr_keys = keys;
    fields.attr_text = texts;
  }
  if (numbers.length > 0) {
    fields.attr_num = numbers;
    fields.attr_numbers = pairs;
  }
  return fields;
}

/**
 * Text longer than MAX_ATTR_TEXT_UNITS keeps one unit more (two for a surrogate pair), so it can
 * never equal a query value (those are at most MAX_ATTR_TEXT_UNITS) yet still answers prefixes.
 */
function boundAttrText(text: string): string {
  if (text.length <= MAX_ATTR_TEXT_UNITS) return text;
  const high = text.charCodeAt(MAX_ATTR_TEXT_UNITS);
  return text.slice(0, MAX_ATTR_TEXT_UNITS + (high >= 0xd800 && high <= 0xdbff ? 2 : 1));
}
