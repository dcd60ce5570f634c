import * as v from 'valibot';
import { quote } from '../describeValue.ts';

export interface RegexOptions {
  /** Require at least one named group such as `(?<level>\w+)`, for patterns that extract fields. */
  namedGroups?: boolean;
}

/**
 * A JavaScript regular expression, checked to compile at start-up rather than on the first line it
 * meets. The output stays the source text; the component that uses it compiles it with its own flags.
 */
export function regexSchema(options: RegexOptions = {}) {
  return v.pipe(
    v.string('expected a regular expression as text'),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      let compiled: RegExp;
      try {
        compiled = new RegExp(dataset.value);
      } catch (error) {
        addIssue({
          message: `expected a regular expression, found ${quote(dataset.value)}: ${(error as Error).message}`,
        });
        return;
      }
      // Lookbehinds also start with `(?<`, so a group counts only when a name follows.
      if (options.namedGroups && !/\(\?<[A-Za-z_$][\w$]*>/.test(compiled.source)) {
        addIssue({
          message: `expected a regular expression with named groups such as (?<level>\\w+) for the fields to extract, found ${quote(dataset.value)}`,
        });
      }
    }),
    v.metadata({ type: 'regex' }),
  );
}
