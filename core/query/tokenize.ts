/**
 * The one tokenization rule every store shares (docs/query-language.md, "Tokens"):
 * a token is a maximal run of Unicode letters or digits, lowercased per code point. Everything
 * else separates: `foo_bar` → foo, bar; `3.14` → 3, 14; `can't` → can, t.
 *
 * Stores reproduce it instead of trusting their own analyzers:
 * - SQLite indexes the output of `tokenize` (see sqliteSchema.ts), so it agrees by construction;
 * - OpenSearch uses a pattern tokenizer on TOKEN_SEPARATOR_PATTERN plus the `lowercase` filter,
 *   which is Java's per-code-point Character.toLowerCase, the mapping `foldCase` implements.
 */
const TOKEN = /[\p{L}\p{N}]+/gu;

/** Java/Lucene-compatible regex of what separates tokens, for the OpenSearch pattern tokenizer. */
export const TOKEN_SEPARATOR_PATTERN = '[^\\p{L}\\p{N}]+';

/** Characters that need the slow path of foldCase (see there). */
const SPECIAL_CASE = /[\u0130\u03a3]/;

/**
 * Lowercases code point by code point (Unicode simple case mapping). String#toLowerCase differs in
 * exactly two places: it turns İ (U+0130) into two code points, i + U+0307, and it lowercases Σ to ς
 * at the end of a word (the only context-sensitive rule). Both are mapped first, like Java does, so
 * folding never changes the number of code points or whether a character is a letter or digit —
 * which lets the compiled predicate fold a whole message once and match on it (checked over every
 * code point in tokenize.test.ts).
 */
export function foldCase(text: string): string {
  if (!SPECIAL_CASE.test(text)) return text.toLowerCase();
  return text
    .replace(/\u0130/g, 'i')
    .replace(/\u03a3/g, 'σ')
    .toLowerCase();
}

/** The tokens of a message or of a query word, in order, folded. */
export function tokenize(text: string): string[] {
  const runs = text.match(TOKEN);
  if (runs === null) return [];
  for (let i = 0; i < runs.length; i++) runs[i] = foldCase(runs[i]);
  return runs;
}

const TOKEN_CHAR = /[\p{L}\p{N}]/u;

/** Whether `char` (one code point) belongs in a token. */
export function isTokenChar(char: string): boolean {
  return TOKEN_CHAR.test(char);
}

const SEARCHABLE = /^[\p{L}\p{N}]+$/u;

/** Whether a query token can equal a message token: non-empty, letters and digits only, already folded. */
export function isSearchableToken(token: string): boolean {
  return SEARCHABLE.test(token) && foldCase(token) === token;
}
