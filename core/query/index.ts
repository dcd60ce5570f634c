/** The query language: parse `q`, print it, evaluate it, compile it to a predicate (engine compilers live in their adapters). See docs/query-language.md. */
export type * from './ast.ts';
export { countTerms, stripSpans } from './ast.ts';
export {
  QueryError,
  QuerySyntaxError,
  QueryTooComplexError,
  QueryUnprintableError,
  renderCaret,
} from './errors.ts';
export { evaluate } from './evaluate.ts';
export { formatQuery } from './format.ts';
export { DEFAULT_PARSE_LIMITS, type ParseOptions, parseQuery } from './parser.ts';
export { compileToPredicate } from './predicate.ts';
export { foldCase, TOKEN_SEPARATOR_PATTERN, tokenize } from './tokenize.ts';
