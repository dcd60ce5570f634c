/** Longest slice of a query an error repeats, so a 4 KiB query cannot flood a log line or a 400 body. */
const MAX_QUOTED = 48;

function bounded(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

/** Base of the errors a query string can cause; the HTTP layer answers 400 with `code` and `position`. */
export abstract class QueryError extends Error {
  abstract readonly code: string;
  /** 0-based offset into the query (UTF-16 code units, which is characters for ASCII). */
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

/** The query does not follow the grammar, or a value is not valid for its field. */
export class QuerySyntaxError extends QueryError {
  readonly code = 'query_syntax';

  constructor(message: string, position: number) {
    super(message, position);
    this.name = 'QuerySyntaxError';
  }
}

/** The query is longer, deeper or has more terms than the configured limits allow. */
export class QueryTooComplexError extends QueryError {
  readonly code = 'query_too_complex';

  constructor(message: string, position: number) {
    super(message, position);
    this.name = 'QueryTooComplexError';
  }
}

/** An AST (built by code, not by the parser) that has no text form, e.g. an attribute name with a space. */
export class QueryUnprintableError extends Error {
  readonly code = 'query_unprintable';

  constructor(message: string) {
    super(message);
    this.name = 'QueryUnprintableError';
  }
}

/** Quotes a piece of user input for an error message, bounded in length. */
export function quoteInput(text: string): string {
  return `'${bounded(text)}'`;
}

/**
 * Two lines for a terminal or a <pre>: the query (a window of `width` characters around the
 * position when it is longer) and a caret under the offending character.
 */
export function renderCaret(query: string, position: number, width = 80): string {
  const flat = query.replace(/[\r\n\t]/g, ' ');
  const at = Math.max(0, Math.min(position, flat.length));
  let start = 0;
  if (flat.length > width) start = Math.max(0, Math.min(at - Math.floor(width / 2), flat.length - width));
  const end = Math.min(flat.length, start + width);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < flat.length ? '…' : '';
  return `${prefix}${flat.slice(start, end)}${suffix}\n${' '.repeat(prefix.length + at - start)}^`;
}
