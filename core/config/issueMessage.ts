import type * as v from 'valibot';

/**
 * The message for an issue whose schema gave none: what was expected, in words. The config error
 * renderer adds what was found, so messages read "expected a number, found "abc"".
 */
export function issueMessage(issue: v.BaseIssue<unknown>): string {
  return `expected ${issue.kind === 'validation' ? requirement(issue) : typeName(issue.expected)}`;
}

const TYPE_NAMES: Record<string, string> = {
  Object: 'a mapping (key: value)',
  Array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  bigint: 'a number',
};

function typeName(expected: string | null): string {
  if (expected === null) return 'something else';
  if (TYPE_NAMES[expected]) return TYPE_NAMES[expected];
  // Valibot writes alternatives as `("a" | "b")`, and an optional discriminator as `("a" | undefined)`;
  // leaving a key out is never what the user needs to be told here.
  const options = expected
    .replace(/[()]/g, '')
    .split(' | ')
    .filter((option) => option !== 'undefined');
  // Picklists, literals and variant discriminators list their options.
  if (options.every((option) => option.startsWith('"'))) {
    return options.length === 1 ? options[0] : `one of ${options.join(', ')}`;
  }
  return options.map((option) => TYPE_NAMES[option] ?? option).join(' or ');
}

function requirement(issue: v.BaseIssue<unknown>): string {
  const limit = String((issue as { requirement?: unknown }).requirement);
  const isList = Array.isArray(issue.input);
  switch (issue.type) {
    case 'integer':
      return 'a whole number';
    case 'min_value':
      return `a number of at least ${limit}`;
    case 'max_value':
      return `a number of at most ${limit}`;
    case 'min_length':
    case 'non_empty':
      return isList ? `at least ${limit === 'undefined' ? 1 : limit} item(s)` : 'a non-empty value';
    case 'max_length':
      return isList ? `at most ${limit} item(s)` : `at most ${limit} characters`;
    case 'url':
      return 'a URL such as https://logs.example.com';
    case 'regex':
      return `text matching ${limit}`;
    default:
      return issue.expected ?? issue.type.replaceAll('_', ' ');
  }
}
