import fc from 'fast-check';

/** Fuzzing is bounded in time so `npm test` stays quick; the seed varies per run and is printed on failure. */
export const FUZZ_BUDGET = { interruptAfterTimeLimit: 3000, numRuns: 1_000_000 };

// Pieces of the query language, so generated text reaches deep into the parser, not only its first check.
const piece = fc.constantFrom(
  'level:error',
  'level>=warn',
  'service:checkout',
  'attrs.http.status:>=500',
  'status:[200 TO 299]',
  'ts:>now-15m',
  'message:"time out"',
  'timeout*',
  'AND',
  'OR',
  'NOT',
  '-',
  '(',
  ')',
  '"',
  '\\',
  ':',
  '*',
  '[',
  ']',
  '{',
  '}',
  'TO',
  'now-',
  '>=',
  '<',
  ' ',
  '\u0000',
  '\ud800',
  '😀',
  'ß',
);
export const queryText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(' ')),
  fc.array(piece, { maxLength: 60 }).map((parts) => parts.join('')),
);
