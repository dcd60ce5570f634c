import { QuerySyntaxError, quoteInput } from './errors.ts';

export type FieldOp = ':' | '>=' | '<=' | '>' | '<';

interface At {
  start: number;
  end: number;
}

export type LexToken =
  | ({ kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus' | 'eof' } & At)
  /** A bare word, as written (may end in `*`, may be `*`). */
  | ({ kind: 'word'; text: string } & At)
  /** A quoted phrase, escapes resolved. */
  | ({ kind: 'phrase'; text: string } & At)
  | ({ kind: 'field'; name: string; op: FieldOp; value: string; quoted: boolean; valueStart: number } & At);

/**
 * A field name: starts with a letter, `_` or `@`; then letters, digits, `_`, `.`, `@`, `-`; and does
 * not end in `.` or `-`, so text such as `x->y` stays a word. Names never contain quotes or
 * backslashes, which keeps them safe inside store paths such as SQLite's `$."name"`.
 */
export const FIELD_NAME = /^[\p{L}_@](?:[\p{L}\p{N}_.@-]*[\p{L}\p{N}_])?$/u;
const FIELD_START = /([\p{L}_@](?:[\p{L}\p{N}_.@-]*[\p{L}\p{N}_])?)(:|>=|<=|>|<)/uy;
const KEYWORDS: Readonly<Record<string, 'and' | 'or' | 'not'>> = { AND: 'and', OR: 'or', NOT: 'not' };

function isSpace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || /\s/.test(char);
}

/** Bare words and bare values end at whitespace, a parenthesis or a quote. */
function endsBare(char: string): boolean {
  return char === '(' || char === ')' || char === '"' || isSpace(char);
}

/**
 * Reads a quoted string whose opening quote is at `open`. Only `\"` and `\\` are escapes; any other
 * backslash is kept as written, so Windows paths like "C:\temp" need no doubling.
 */
function readQuoted(query: string, open: number): { text: string; end: number } {
  let text = '';
  let i = open + 1;
  while (i < query.length) {
    const char = query[i];
    if (char === '"') return { text, end: i + 1 };
    if (char === '\\' && (query[i + 1] === '"' || query[i + 1] === '\\')) {
      text += query[i + 1];
      i += 2;
    } else {
      text += char;
      i += 1;
    }
  }
  throw new QuerySyntaxError(`unterminated quote starting at position ${open}`, open);
}

function readBare(query: string, from: number): number {
  let i = from;
  while (i < query.length && !endsBare(query[i])) i++;
  return i;
}

function lexField(query: string, start: number, name: string, op: FieldOp): LexToken {
  const valueStart = start + name.length + op.length;
  if (query[valueStart] === '"') {
    const quoted = readQuoted(query, valueStart);
    return { kind: 'field', name, op, value: quoted.text, quoted: true, valueStart, start, end: quoted.end };
  }
  const end = readBare(query, valueStart);
  if (end === valueStart) {
    throw new QuerySyntaxError(
      `expected a value after ${quoteInput(name + op)} at position ${valueStart} (no spaces after '${op}'; quote values with spaces)`,
      valueStart,
    );
  }
  return {
    kind: 'field',
    name,
    op,
    value: query.slice(valueStart, end),
    quoted: false,
    valueStart,
    start,
    end,
  };
}

/** Splits a query into tokens; the last one is always `eof` (at the query's length). */
export function lex(query: string): LexToken[] {
  const tokens: LexToken[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i];
    if (isSpace(char)) {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'lparen' : 'rparen', start: i, end: i + 1 });
      i++;
    } else if (char === '"') {
      const quoted = readQuoted(query, i);
      tokens.push({ kind: 'phrase', text: quoted.text, start: i, end: quoted.end });
      i = quoted.end;
    } else if (char === '-') {
      const next = query[i + 1];
      if (next === undefined || next === ')' || isSpace(next)) {
        throw new QuerySyntaxError(`expected a term right after '-' at position ${i}`, i);
      }
      tokens.push({ kind: 'minus', start: i, end: i + 1 });
      i++;
    } else {
      FIELD_START.lastIndex = i;
      const field = FIELD_START.exec(query);
      const token =
        field !== null
          ? lexField(query, i, field[1], field[2] as FieldOp)
          : lexWord(query, i, readBare(query, i));
      tokens.push(token);
      i = token.end;
    }
  }
  tokens.push({ kind: 'eof', start: query.length, end: query.length });
  return tokens;
}

function lexWord(query: string, start: number, end: number): LexToken {
  const text = query.slice(start, end);
  const keyword = Object.hasOwn(KEYWORDS, text) ? KEYWORDS[text] : undefined;
  return keyword !== undefined ? { kind: keyword, start, end } : { kind: 'word', text, start, end };
}
