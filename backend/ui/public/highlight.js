/**
 * Marks where a query's words matched in a message. It follows the query language's token rule
 * (docs/query-language.md, "Tokens"): a token is a run of letters or digits, compared case-insensitively
 * as whole tokens; `time*` matches tokens starting with `time`; a phrase or a word like `gate-way`
 * matches its tokens in a row. Words under a negation (`-x`, `NOT x`, `NOT (…)`) and field terms
 * (`service:x`) are not marked: they say nothing about the message text.
 */

const TOKEN = /[\p{L}\p{N}]+/gu;
const FIELD = /^[\p{L}_@](?:[\p{L}\p{N}_.@-]*[\p{L}\p{N}_])?(?::|>=|<=|>|<)/u;

/** Lowercase as the stores do; the two special cases of core/query/tokenize.ts's foldCase. */
const fold = (text) =>
  text
    .replace(/\u0130/g, 'i')
    .replace(/\u03a3/g, 'σ')
    .toLowerCase();

/** What to mark for `q`: `[{ tokens: ['gateway', 'timeout'], prefix: false }, …]`. */
export function highlightPatterns(q) {
  const patterns = [];
  const text = String(q ?? '');
  let i = 0;
  let negated = 0; // > 0 while inside a negated group; counts its open parentheses
  let negateNext = false;
  const add = (word, prefix) => {
    const tokens = [...word.matchAll(TOKEN)].map((m) => fold(m[0]));
    if (tokens.length > 0) patterns.push({ tokens, prefix });
  };
  while (i < text.length) {
    const c = text[i];
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      if (negated > 0) negated++;
      else if (negateNext) negated = 1;
      negateNext = false;
      i++;
      continue;
    }
    if (c === ')') {
      if (negated > 0) negated--;
      i++;
      continue;
    }
    if (c === '-' && i + 1 < text.length && !/\s/u.test(text[i + 1])) {
      negateNext = true;
      i++;
      continue;
    }
    let end;
    let word;
    let prefix = false;
    let isField = false;
    if (c === '"') {
      ({ end, word } = readQuoted(text, i));
    } else {
      const field = FIELD.exec(text.slice(i));
      isField = field !== null;
      const start = i + (field?.[0].length ?? 0);
      if (isField && text[start] === '"') end = readQuoted(text, start).end;
      else {
        end = start;
        while (end < text.length && !/[\s()"]/u.test(text[end])) end++;
      }
      word = text.slice(i, end);
      if (!isField && word.endsWith('*')) {
        prefix = true;
        word = word.slice(0, -1);
      }
    }
    i = end;
    if (!isField && c !== '"' && (word === 'AND' || word === 'OR')) continue;
    if (!isField && c !== '"' && word === 'NOT') {
      negateNext = true;
      continue;
    }
    if (!isField && !negateNext && negated === 0) add(word, prefix);
    negateNext = false;
  }
  return patterns;
}

function readQuoted(text, open) {
  let word = '';
  let i = open + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
    word += text[i];
    i++;
  }
  return { end: i + 1, word };
}

/**
 * `text` cut into plain strings and `{ mark }` pieces where a pattern matches, in order. Overlapping
 * matches are merged, so every character appears exactly once.
 */
export function markMatches(text, patterns) {
  const source = String(text ?? '');
  if (patterns.length === 0 || source === '') return [source];
  const tokens = [...source.matchAll(TOKEN)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    text: fold(m[0]),
  }));
  const spans = [];
  for (let t = 0; t < tokens.length; t++) {
    for (const p of patterns) {
      const n = p.tokens.length;
      if (t + n > tokens.length) continue;
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        const last = k === n - 1;
        ok =
          last && p.prefix ? tokens[t + k].text.startsWith(p.tokens[k]) : tokens[t + k].text === p.tokens[k];
      }
      if (ok) spans.push([tokens[t].start, tokens[t + n - 1].end]);
    }
  }
  if (spans.length === 0) return [source];
  spans.sort((a, b) => a[0] - b[0]);
  const parts = [];
  let at = 0;
  let open = null;
  for (const [a, b] of spans) {
    if (open !== null && a <= open[1]) {
      open[1] = Math.max(open[1], b);
      continue;
    }
    if (open !== null) {
      parts.push({ mark: source.slice(open[0], open[1]) });
      at = open[1];
    }
    if (a > at) parts.push(source.slice(at, a));
    open = [a, b];
  }
  parts.push({ mark: source.slice(open[0], open[1]) });
  if (open[1] < source.length) parts.push(source.slice(open[1]));
  return parts;
}
