import { marker } from './detectors.ts';
import { MaskConfigError } from './maskConfigError.ts';

/** A masking rule from config: every match of `pattern` becomes `replacement` (default `[MASKED:<name>]`). */
export interface MaskRule {
  name: string;
  pattern: string;
  replacement?: string;
}

export interface CompiledRule {
  name: string;
  /** Global, compiled once when the masker is created. */
  pattern: RegExp;
  replacement: string;
}

export const RULE_NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** Quotes, backslashes and control characters would break the JSON text a replacement lands in. */
export const SAFE_REPLACEMENT = /^[^"\\\u0000-\u001f]*$/;

/** What is wrong with a rule, or undefined when it can be used. */
export function ruleProblem(rule: MaskRule): string | undefined {
  if (!RULE_NAME.test(rule.name)) {
    return `rule name ${JSON.stringify(rule.name)} must be lower-case letters, digits and _ (such as ssn)`;
  }
  const problem = patternProblem(rule.pattern);
  if (problem !== undefined) return `rule ${rule.name}: ${problem}`;
  if (rule.replacement !== undefined && !SAFE_REPLACEMENT.test(rule.replacement)) {
    return `rule ${rule.name}: replacement must not contain quotes, backslashes or control characters`;
  }
  return undefined;
}

/** What is wrong with a rule's pattern, or undefined. */
export function patternProblem(pattern: string): string | undefined {
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern);
  } catch (error) {
    return `pattern does not compile: ${(error as Error).message}`;
  }
  // A pattern that matches nothing at all would insert its replacement between every two characters.
  if (compiled.test('')) return `pattern ${JSON.stringify(pattern)} matches the empty string`;
  return undefined;
}

export function compileRules(rules: readonly MaskRule[]): CompiledRule[] {
  const seen = new Set<string>();
  return rules.map((rule) => {
    const problem = ruleProblem(rule);
    if (problem !== undefined) throw new MaskConfigError('mask_rule_invalid', rule.pattern, problem);
    if (seen.has(rule.name)) {
      throw new MaskConfigError('mask_rule_invalid', rule.name, `two rules are named ${rule.name}`);
    }
    seen.add(rule.name);
    return {
      name: rule.name,
      pattern: new RegExp(rule.pattern, 'g'),
      replacement: rule.replacement ?? marker(rule.name),
    };
  });
}
