/**
 * Finding where quoted values end, including JSON that sits inside a JSON string.
 *
 * A string nested n levels deep is opened and closed by a quote preceded by `level` backslashes
 * (0 for plain JSON, 1 for `{\"password\":\"x\"}` inside a JSON string, 3 one level deeper). Inside
 * it, a quote that belongs to the value carries more backslashes: at level L the closing quote is the
 * one whose backslash run r satisfies r % (2L + 2) === L. Ending a masked range exactly before those
 * L backslashes keeps every escape sequence whole, which is what keeps JSON text valid after masking.
 */

const BACKSLASH = 92;
const DQUOTE = 34;

/** Number of backslashes immediately before `p`, not looking before `lo`. */
export function backslashesBefore(s: string, p: number, lo: number): number {
  let run = 0;
  while (p - run - 1 >= lo && s.charCodeAt(p - run - 1) === BACKSLASH) run++;
  return run;
}

/** Index just after the closing quote found by the last `findStringEnd`. */
export const stringEnd = { after: 0 };

/**
 * Content of a double-quoted string opened at `level` starts at `from`; returns where the content ends.
 * An unterminated string runs to the end of the text (a secret cut off mid-line is still a secret),
 * unless an enclosing string closes first.
 */
export function findStringEnd(s: string, from: number, level: number): number {
  const period = 2 * level + 2;
  let q = s.indexOf('"', from);
  while (q !== -1) {
    const run = backslashesBefore(s, q, from);
    if (run % period === level) {
      stringEnd.after = q + 1;
      return q - level;
    }
    if (run < level) {
      // An enclosing string closes before this one did: stop there and leave its quote alone.
      stringEnd.after = q - run;
      return q - run;
    }
    q = s.indexOf('"', q + 1);
  }
  stringEnd.after = s.length;
  return s.length;
}

/**
 * Content of a single-quoted value starts at `from`; returns where it ends. Without a closing quote the
 * value ends before the first unescaped double quote, so a broken value inside JSON text cannot take the
 * JSON's own closing quote with it.
 */
export function findSingleQuotedEnd(s: string, from: number): number {
  let q = s.indexOf("'", from);
  while (q !== -1) {
    if (backslashesBefore(s, q, from) % 2 === 0) {
      stringEnd.after = q + 1;
      return q;
    }
    q = s.indexOf("'", q + 1);
  }
  let d = s.indexOf('"', from);
  while (d !== -1) {
    const run = backslashesBefore(s, d, from);
    if (run % 2 === 0) {
      stringEnd.after = d - run;
      return d - run;
    }
    d = s.indexOf('"', d + 1);
  }
  stringEnd.after = s.length;
  return s.length;
}

/**
 * End (exclusive) of the JSON object or array that opens at `start`, at nesting `level`. Brackets inside
 * strings do not count. An unbalanced container runs to the end of the text, or to where an enclosing
 * string closes.
 */
export function findContainerEnd(s: string, start: number, level: number): number {
  let depth = 0;
  for (let p = start; p < s.length; p++) {
    const c = s.charCodeAt(p);
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (--depth === 0) return p + 1;
    } else if (c === DQUOTE) {
      const run = backslashesBefore(s, p, start);
      if (run < level) return p - run;
      if (run === level) {
        findStringEnd(s, p + 1, level);
        p = stringEnd.after - 1;
      }
    }
  }
  return s.length;
}
