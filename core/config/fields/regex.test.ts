import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { regexSchema } from './regex.ts';

function message(schema: v.GenericSchema, input: unknown): string | undefined {
  const result = v.safeParse(schema, input);
  return result.success ? undefined : result.issues[0].message;
}

describe('regexSchema', () => {
  it('accepts a pattern that compiles and keeps its text', () => {
    assert.equal(v.parse(regexSchema(), '^\\d{4}-'), '^\\d{4}-');
  });

  it('rejects a pattern that does not compile, with the engine’s reason', () => {
    assert.equal(
      message(regexSchema(), '('),
      'expected a regular expression, found "(": Invalid regular expression: /(/: Unterminated group',
    );
  });

  it('requires a named group when fields are extracted, not counting lookbehinds', () => {
    assert.equal(v.parse(regexSchema({ namedGroups: true }), '^(?<level>\\w+)'), '^(?<level>\\w+)');
    assert.match(
      message(regexSchema({ namedGroups: true }), '(?<=a)(\\w+)') ?? '',
      /with named groups such as \(\?<level>\\w\+\)/,
    );
  });
});
