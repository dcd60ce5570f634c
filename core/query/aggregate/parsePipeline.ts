import { RESERVED_FIELDS } from '../../event/types.ts';
import { parseDuration } from '../../units/duration.ts';
import type { KeywordField } from '../ast.ts';
import { QuerySyntaxError, QueryTooComplexError, quoteInput } from '../errors.ts';
import { DEFAULT_PARSE_LIMITS, type ParseOptions, parseQuery } from '../parser.ts';
import type {
  AggField,
  AggFunction,
  AggFunctionName,
  GroupBy,
  Pipeline,
  StatsStage,
  TopStage,
} from './ast.ts';

/** Most functions in one `stats`, group keys in one `by`, and rows one `top` may ask for. */
export const PIPE_LIMITS = { maxFunctions: 20, maxGroupBy: 4, maxTop: 1000 } as const;
const DEFAULT_TOP = 10;

/** Reserved fields holding plain values (ts is grouped with bucket(), message is full text). */
const KEYWORD_FIELDS: ReadonlySet<string> = new Set(
  RESERVED_FIELDS.filter((f) => f !== 'ts' && f !== 'message' && f !== 'level'),
);
const FUNCTIONS: Readonly<Record<string, AggFunctionName>> = {
  count: 'count',
  sum: 'sum',
  avg: 'avg',
  min: 'min',
  max: 'max',
  percentile: 'percentile',
  median: 'percentile',
  count_distinct: 'count_distinct',
  dc: 'count_distinct',
};
const PERCENTILE_SHORTHAND = /^p(\d{1,2}(?:\.\d{1,3})?)$/;

/**
 * Splits `q` at its pipe and parses both sides. The pipe is a `|` outside quotes that starts a token
 * (at the start, after whitespace or after `)`): `a|b` stays the phrase "a b" it always was, while
 * `error | top 10 host` aggregates. Positions in errors are offsets into the whole `q`.
 */
export function parsePipeline(query: string, options: ParseOptions = {}): Pipeline {
  const at = findPipe(query);
  // The whole text counts against maxLength; parseQuery reports it with its usual message.
  if (at < 0 || query.length > (options.maxLength ?? DEFAULT_PARSE_LIMITS.maxLength))
    return { filter: parseQuery(query, options), stage: null };
  const filter = parseQuery(query.slice(0, at), options);
  return { filter, stage: parseStage(query, at + 1) };
}

/** Offset of the pipe, or -1 (an unterminated quote is left for parseQuery to report). */
export function findPipe(query: string): number {
  let i = 0;
  while (i < query.length) {
    const char = query[i];
    if (char === '"') {
      i++;
      while (i < query.length && query[i] !== '"') i += query[i] === '\\' ? 2 : 1;
      if (i >= query.length) return -1;
    } else if (char === '|' && (i === 0 || /[\s)]/u.test(query[i - 1]))) {
      return i;
    }
    i++;
  }
  return -1;
}

interface Token {
  kind: 'word' | 'lparen' | 'rparen' | 'comma' | 'eof';
  text: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}_.@+-]+/uy;

function lexStage(query: string, from: number): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < query.length) {
    const char = query[i];
    if (/\s/u.test(char)) {
      i++;
      continue;
    }
    const punct = char === '(' ? 'lparen' : char === ')' ? 'rparen' : char === ',' ? 'comma' : null;
    if (punct !== null) {
      tokens.push({ kind: punct, text: char, start: i, end: i + 1 });
      i++;
      continue;
    }
    WORD.lastIndex = i;
    const match = WORD.exec(query);
    if (match === null) {
      const hint = char === '|' ? ' (one pipe per query: stats or top)' : '';
      throw new QuerySyntaxError(`unexpected ${quoteInput(char)} at position ${i}${hint}`, i);
    }
    tokens.push({ kind: 'word', text: match[0], start: i, end: i + match[0].length });
    i += match[0].length;
  }
  tokens.push({ kind: 'eof', text: '', start: query.length, end: query.length });
  return tokens;
}

class Cursor {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }
  peek(): Token {
    return this.tokens[this.pos];
  }
  next(): Token {
    return this.tokens[this.pos++];
  }
  expect(kind: Token['kind'], what: string): Token {
    const token = this.next();
    if (token.kind !== kind) throw unexpected(token, what);
    return token;
  }
}

function unexpected(token: Token, what: string): QuerySyntaxError {
  const found = token.kind === 'eof' ? 'the end' : quoteInput(token.text);
  return new QuerySyntaxError(`expected ${what} at position ${token.start}, found ${found}`, token.start);
}

function parseStage(query: string, from: number): StatsStage | TopStage {
  const cursor = new Cursor(lexStage(query, from));
  const command = cursor.next();
  const name = command.kind === 'word' ? command.text.toLowerCase() : '';
  let stage: StatsStage | TopStage;
  if (name === 'stats') stage = parseStats(cursor, command.start);
  else if (name === 'top') stage = parseTop(cursor, command.start);
  else throw unexpected(command, "'stats' or 'top' after '|'");
  const rest = cursor.peek();
  if (rest.kind !== 'eof') throw unexpected(rest, stage.type === 'stats' ? "',' or 'by'" : 'the end');
  return stage;
}

function parseStats(cursor: Cursor, start: number): StatsStage {
  const functions: AggFunction[] = [parseFunction(cursor)];
  while (cursor.peek().kind === 'comma') {
    cursor.next();
    functions.push(parseFunction(cursor));
    if (functions.length > PIPE_LIMITS.maxFunctions)
      throw new QueryTooComplexError(
        `stats has more than ${PIPE_LIMITS.maxFunctions} functions (at position ${functions.at(-1)?.start})`,
        functions.at(-1)?.start ?? start,
      );
  }
  const by: GroupBy[] = [];
  const word = cursor.peek();
  if (word.kind === 'word' && word.text.toLowerCase() === 'by') {
    cursor.next();
    by.push(parseGroup(cursor));
    while (cursor.peek().kind === 'comma') {
      cursor.next();
      by.push(parseGroup(cursor));
    }
    if (by.length > PIPE_LIMITS.maxGroupBy) {
      const extra = by[PIPE_LIMITS.maxGroupBy];
      throw new QueryTooComplexError(
        `stats groups by at most ${PIPE_LIMITS.maxGroupBy} keys (at position ${extra.start})`,
        extra.start,
      );
    }
    const seen = new Set<string>();
    for (const group of by) {
      const key = group.kind === 'bucket' ? 'bucket' : group.name;
      if (seen.has(key))
        throw new QuerySyntaxError(
          `${quoteInput(key)} is grouped by twice (at position ${group.start})`,
          group.start,
        );
      seen.add(key);
    }
  }
  return { type: 'stats', functions, by, start };
}

function parseFunction(cursor: Cursor): AggFunction {
  const head = cursor.expect('word', 'a function such as count(), avg(x), p95(x), count_distinct(x)');
  const lower = head.text.toLowerCase();
  const shorthand = PERCENTILE_SHORTHAND.exec(lower);
  const fn: AggFunctionName | undefined =
    shorthand !== null ? 'percentile' : Object.hasOwn(FUNCTIONS, lower) ? FUNCTIONS[lower] : undefined;
  if (fn === undefined)
    throw new QuerySyntaxError(
      `unknown function ${quoteInput(head.text)} at position ${head.start}; expected count, sum, avg, min, max, p50, p90, p95, p99, percentile or count_distinct`,
      head.start,
    );
  // `count` alone (as in Splunk) is count().
  if (lower === 'count' && cursor.peek().kind !== 'lparen')
    return { fn: 'count', field: null, name: 'count()', start: head.start, end: head.end };
  cursor.expect('lparen', `'(' after ${quoteInput(head.text)}`);
  let field: AggField | null = null;
  let fieldText = '';
  if (cursor.peek().kind === 'word') {
    const token = cursor.next();
    field = resolveField(token);
    fieldText = token.text;
  }
  let percent: number | undefined = shorthand === null ? undefined : Number(shorthand[1]);
  if (lower === 'median') percent = 50;
  if (lower === 'percentile') {
    cursor.expect('comma', "',' and a percent, as in percentile(latency_ms, 99.9)");
    const number = cursor.expect('word', 'a percent between 0 and 100');
    percent = Number(number.text);
    if (!/^\d+(\.\d+)?$/.test(number.text))
      throw new QuerySyntaxError(
        `expected a percent between 0 and 100 at position ${number.start}`,
        number.start,
      );
  }
  const close = cursor.expect('rparen', "')'");
  if (percent !== undefined && !(percent > 0 && percent < 100))
    throw new QuerySyntaxError(
      `a percentile must lie between 0 and 100 (at position ${head.start})`,
      head.start,
    );
  if (field === null && fn !== 'count')
    throw new QuerySyntaxError(
      `${lower}() needs a field, as in ${lower}(latency_ms) (at position ${head.start})`,
      head.start,
    );
  const numeric = fn === 'sum' || fn === 'avg' || fn === 'min' || fn === 'max' || fn === 'percentile';
  if (numeric && field !== null && field.kind !== 'attr')
    throw new QuerySyntaxError(
      `${lower}() reads numeric attributes; ${quoteInput(fieldText)} is not one (at position ${head.start})`,
      head.start,
    );
  const label = fn === 'percentile' ? `p${percent}` : fn;
  return { fn, field, percent, name: `${label}(${fieldText})`, start: head.start, end: close.end };
}

function parseGroup(cursor: Cursor): GroupBy {
  const token = cursor.expect('word', 'a field or bucket() to group by');
  if (token.text.toLowerCase() === 'bucket' && cursor.peek().kind === 'lparen') {
    cursor.next();
    let ms: number | null = null;
    if (cursor.peek().kind === 'word') {
      const size = cursor.next();
      try {
        ms = parseDuration(size.text);
      } catch (error) {
        throw new QuerySyntaxError(
          `bucket size ${quoteInput(size.text)} at position ${size.start}: ${(error as Error).message}`,
          size.start,
        );
      }
      if (!(ms >= 1000) || !Number.isInteger(ms))
        throw new QuerySyntaxError(
          `a bucket is at least 1s and a whole number of milliseconds (at position ${size.start})`,
          size.start,
        );
    }
    const close = cursor.expect('rparen', "')' after the bucket size");
    return { kind: 'bucket', ms, start: token.start, end: close.end };
  }
  return { kind: 'field', field: resolveField(token), name: token.text, start: token.start, end: token.end };
}

function parseTop(cursor: Cursor, start: number): TopStage {
  let limit = DEFAULT_TOP;
  const first = cursor.peek();
  if (first.kind === 'word' && /^\d+$/.test(first.text)) {
    cursor.next();
    limit = Number(first.text);
    if (limit < 1 || limit > PIPE_LIMITS.maxTop)
      throw new QueryTooComplexError(
        `top takes 1 to ${PIPE_LIMITS.maxTop} values (at position ${first.start})`,
        first.start,
      );
  }
  const token = cursor.expect('word', 'a field, as in top 10 service');
  return { type: 'top', limit, field: resolveField(token), name: token.text, start };
}

/** A field name as the filter language reads it: reserved fields, else an attribute (`attrs.` forces one). */
function resolveField(token: Token): AggField {
  const name = token.text;
  if (!/^[\p{L}_@]/u.test(name) || /[.-]$/.test(name))
    throw new QuerySyntaxError(
      `expected a field name at position ${token.start}, found ${quoteInput(name)}`,
      token.start,
    );
  if (name.startsWith('attrs.') && name.length > 6) return { kind: 'attr', name: name.slice(6) };
  if (name === 'level') return { kind: 'level' };
  if (KEYWORD_FIELDS.has(name)) return { kind: 'keyword', field: name as KeywordField };
  if (name === 'ts')
    throw new QuerySyntaxError(
      `group time with bucket() rather than ts (at position ${token.start})`,
      token.start,
    );
  if (name === 'message')
    throw new QuerySyntaxError(
      `message is full text and cannot be grouped or counted by value (at position ${token.start})`,
      token.start,
    );
  return { kind: 'attr', name };
}
