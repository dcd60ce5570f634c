import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createParser } from './createParser.ts';
import { liftFromText } from './lift.ts';
import { FORMATS, type Format, type ParsedRecord } from './types.ts';

const MB = 1 << 20;
const HOSTILE: Record<string, string> = {
  empty: '',
  spaces: '     ',
  'one megabyte': `level=info msg=${'x'.repeat(MB)}`,
  'one megabyte of spaces and quotes': ' "'.repeat(MB / 2),
  'unbalanced quotes': 'a="b c=\\"d e="',
  'deep JSON': `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`,
  'deep unclosed JSON': '{"a":['.repeat(5000),
  'replacement characters': '\uFFFD\uFFFD level=\uFFFD msg="\uFFFD"',
  'lone surrogates': 'msg=\uD800 \uDFFF',
  'NUL bytes': 'msg=a\u0000b\u0000 level=\u0000',
  'proto keys': '__proto__=1 constructor=2 prototype=3 {"__proto__":{"x":1}}',
  'syslog-shaped garbage': '<1>1 [[[[ ]]]] "',
  'access-shaped garbage': '1 - - [ "',
};
const PATTERN = '^(?<level>\\w+) (?<msg>.*)$';

function messageOf(record: ParsedRecord): unknown {
  return record.message ?? record.msg ?? record.log;
}

describe('every parser on hostile input', () => {
  for (const format of FORMATS) {
    const parse = createParser({
      format: format as Format,
      pattern: format === 'regex' ? PATTERN : undefined,
    });
    for (const [name, line] of Object.entries(HOSTILE)) {
      it(`${format}: returns a record with a message for ${name}`, () => {
        const record = parse(line);
        assert.notEqual(messageOf(record), undefined);
        assert.equal(Object.getPrototypeOf(record), Object.prototype);
        assert.equal(({} as Record<string, unknown>).x, undefined);
      });
    }
  }

  it('lifting returns for a megabyte of near-misses', () => {
    const text = 'cid= request_id=- traceparent: 00-zz '.repeat(MB / 32);
    assert.deepEqual(liftFromText(text), {});
  });
});
