import * as v from 'valibot';
import { BUILTIN_DETECTORS } from './detectors.ts';
import { patternProblem, RULE_NAME, SAFE_REPLACEMENT } from './userRules.ts';

const ruleSchema = v.strictObject({
  name: v.pipe(
    v.string(),
    v.regex(RULE_NAME, 'expected a rule name of lower-case letters, digits and _, such as ssn'),
  ),
  pattern: v.pipe(
    v.string(),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const problem = patternProblem(dataset.value);
      if (problem !== undefined) addIssue({ message: `expected a regular expression, found: ${problem}` });
    }),
  ),
  replacement: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        SAFE_REPLACEMENT,
        'expected replacement text without quotes, backslashes or control characters',
      ),
    ),
  ),
});

/**
 * The `mask` section of agent.yaml and of sluice.yaml's `processing`:
 * `builtin` (detector names, default all), `keys` (more sensitive key names), `rules` (regex rules).
 */
export const maskConfigSchema = v.strictObject({
  builtin: v.optional(
    v.array(v.picklist(BUILTIN_DETECTORS, `expected one of ${BUILTIN_DETECTORS.join(', ')}`)),
  ),
  keys: v.optional(
    v.array(
      v.pipe(
        v.string(),
        v.regex(
          /^[A-Za-z0-9][A-Za-z0-9_.\- ]*$/,
          'expected a key name such as api_key (letters, digits, _ - .)',
        ),
      ),
    ),
  ),
  rules: v.optional(
    v.pipe(
      v.array(ruleSchema),
      v.check(
        (rules) => new Set(rules.map((rule) => rule.name)).size === rules.length,
        'expected every rule to have its own name',
      ),
    ),
  ),
});

export type MaskConfig = v.InferOutput<typeof maskConfigSchema>;
