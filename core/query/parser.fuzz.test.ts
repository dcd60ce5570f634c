import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileToPredicate, parseQuery, QueryError } from './index.ts';
import { randomEvent } from './random.ts';
import { FUZZ_BUDGET, queryText } from './testing/queryArbitrary.ts';

describe('query parser under fuzzing (fast-check)', () => {
  it('answers every text with an AST or a QueryError, never anything else, within its limits', () => {
    fc.assert(
      fc.property(queryText, (text) => {
        let ast: ReturnType<typeof parseQuery>;
        try {
          ast = parseQuery(text, {
            maxLength: 4096,
            maxDepth: 32,
            maxTerms: 128,
            nowMs: Date.UTC(2026, 10, 23),
          });
        } catch (error) {
          if (error instanceof QueryError) {
            assert.ok(error.message.length > 0);
            return;
          }
          throw error;
        }
        // Whatever parses compiles to a predicate that evaluates without throwing.
        const matches = compileToPredicate(ast);
        matches(randomEvent(() => 0.5, 1));
      }),
      FUZZ_BUDGET,
    );
  });
});
