import type { QueryNode } from './ast.ts';
import { QuerySyntaxError, QueryTooComplexError } from './errors.ts';
import { type LexToken, lex } from './lexer.ts';
import { buildTerm } from './terms.ts';

export interface ParseOptions {
  /** Longest query accepted, in UTF-16 code units. Default 4096. */
  maxLength?: number;
  /** Deepest nesting of parentheses and negations. Default 32 (bounds the parser's recursion). */
  maxDepth?: number;
  /** Most leaf terms. Default 128 (bounds the work every store does per event). */
  maxTerms?: number;
  /** What `now` means in `ts` terms, ms since the epoch. Default Date.now(). */
  nowMs?: number;
}

export const DEFAULT_PARSE_LIMITS = { maxLength: 4096, maxDepth: 32, maxTerms: 128 } as const;

interface ParserState {
  tokens: LexToken[];
  pos: number;
  depth: number;
  terms: number;
  readonly maxDepth: number;
  readonly maxTerms: number;
  readonly nowMs: number;
}

/**
 * Parses `q` (contracts.md §3, grammar in docs/query-language.md) into an AST.
 * An empty or blank query is `{ type: 'all' }`.
 * Throws QuerySyntaxError (code 'query_syntax') or QueryTooComplexError (code 'query_too_complex'),
 * both with `position`.
 *
 *   or      := and ('OR' and)*
 *   and     := not (('AND')? not)*
 *   not     := ('NOT' | '-') not | primary
 *   primary := '(' or ')' | term
 */
export function parseQuery(query: string, options: ParseOptions = {}): QueryNode {
  const maxLength = options.maxLength ?? DEFAULT_PARSE_LIMITS.maxLength;
  if (query.length > maxLength) {
    throw new QueryTooComplexError(
      `query is ${query.length} characters long; the limit is ${maxLength} (at position ${maxLength})`,
      maxLength,
    );
  }
  const state: ParserState = {
    tokens: lex(query),
    pos: 0,
    depth: 0,
    terms: 0,
    maxDepth: options.maxDepth ?? DEFAULT_PARSE_LIMITS.maxDepth,
    maxTerms: options.maxTerms ?? DEFAULT_PARSE_LIMITS.maxTerms,
    nowMs: options.nowMs ?? Date.now(),
  };
  if (peek(state).kind === 'eof') return { type: 'all', start: 0, end: query.length };
  const node = parseOr(state);
  const rest = peek(state);
  if (rest.kind !== 'eof') {
    // parseAnd consumes every token that can start a term, so only a stray ')' can be left over.
    throw new QuerySyntaxError(`unexpected ')' at position ${rest.start}`, rest.start);
  }
  return node;
}

function peek(state: ParserState): LexToken {
  return state.tokens[state.pos];
}

function next(state: ParserState): LexToken {
  return state.tokens[state.pos++];
}

function parseOr(state: ParserState): QueryNode {
  const children = [parseAnd(state)];
  while (peek(state).kind === 'or') {
    next(state);
    children.push(parseAnd(state));
  }
  return children.length === 1 ? children[0] : group('or', children);
}

function startsTerm(token: LexToken): boolean {
  const kind = token.kind;
  return (
    kind === 'word' ||
    kind === 'phrase' ||
    kind === 'field' ||
    kind === 'lparen' ||
    kind === 'minus' ||
    kind === 'not'
  );
}

function parseAnd(state: ParserState): QueryNode {
  const children = [parseNot(state)];
  for (;;) {
    const token = peek(state);
    if (token.kind === 'and') {
      next(state);
      children.push(parseNot(state));
    } else if (startsTerm(token)) {
      children.push(parseNot(state)); // adjacency means AND
    } else {
      break;
    }
  }
  return children.length === 1 ? children[0] : group('and', children);
}

function group(type: 'and' | 'or', children: QueryNode[]): QueryNode {
  return { type, children, start: children[0].start, end: children[children.length - 1].end };
}

function parseNot(state: ParserState): QueryNode {
  const token = peek(state);
  if (token.kind !== 'not' && token.kind !== 'minus') return parsePrimary(state);
  next(state);
  enter(state, token.start);
  const child = parseNot(state);
  state.depth--;
  return { type: 'not', child, start: token.start, end: child.end };
}

function parsePrimary(state: ParserState): QueryNode {
  const token = next(state);
  switch (token.kind) {
    case 'lparen': {
      enter(state, token.start);
      const inner = parseOr(state);
      const close = next(state);
      if (close.kind !== 'rparen')
        throw new QuerySyntaxError(`expected ')' at position ${close.start}`, close.start);
      state.depth--;
      return inner;
    }
    case 'word':
    case 'phrase':
    case 'field':
      if (++state.terms > state.maxTerms) {
        throw new QueryTooComplexError(
          `query has more than ${state.maxTerms} terms (at position ${token.start})`,
          token.start,
        );
      }
      return buildTerm(token, state.nowMs);
    default:
      throw new QuerySyntaxError(`expected a term at position ${token.start}`, token.start);
  }
}

function enter(state: ParserState, position: number): void {
  if (++state.depth > state.maxDepth) {
    throw new QueryTooComplexError(
      `query nests parentheses and negations deeper than ${state.maxDepth} (at position ${position})`,
      position,
    );
  }
}
