import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { createParser } from './createParser.ts';
import { detectFormat } from './detect.ts';
import { parserConfigSchema } from './schema.ts';
import { ParseConfigError, parseErrorOf } from './types.ts';

describe('createParser', () => {
  it('builds the parser a config names', () => {
    assert.equal(createParser({ format: 'logfmt' })('msg=hi n=1').n, 1);
    assert.equal(
      createParser({ format: 'apache' })('h - - [23/Nov/2026:12:00:00 +0000] "GET / HTTP/1.1" 503 1')[
        'http.status'
      ],
      503,
    );
    assert.equal(createParser({ format: 'regex', pattern: '(?<msg>.+)' })('x').msg, 'x');
    assert.equal(createParser({ format: 'plain' })('{"msg":1}').message, '{"msg":1}');
  });

  it('refuses a regex format without pattern, and a pattern on another format', () => {
    assert.throws(() => createParser({ format: 'regex' }), ParseConfigError);
    assert.throws(() => createParser({ format: 'json', pattern: '(?<a>x)' }), /regex only/);
  });

  it('auto: parses each line by what it looks like', () => {
    const parse = createParser({
      format: 'auto',
      timeZone: 'utc',
      now: () => Date.parse('2026-11-24T00:00:00Z'),
    });
    assert.equal(parse('{"msg":"j"}').msg, 'j');
    assert.equal(parse('<13>Nov 23 12:00:04 h cron: s').service, 'cron');
    assert.equal(
      parse('10.0.0.5 - - [23/Nov/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 1')['http.status'],
      200,
    );
    assert.equal(parse('level=warn msg=l').msg, 'l');
    const plain = parse('ERROR [main] boom');
    assert.deepEqual(
      [plain.message, plain.level, parseErrorOf(plain)],
      ['ERROR [main] boom', 'error', undefined],
    );
  });
});

describe('detectFormat', () => {
  it('tells formats apart from the first characters', () => {
    assert.deepEqual(
      [
        '{"a":1}',
        '<34>1 - - -',
        '<html>',
        'ts=1 msg=x',
        '::1 - - [23/Nov/2026:12:00:00 +0000] "GET /"',
        'hello = world',
        '',
      ].map(detectFormat),
      ['json', 'syslog', 'plain', 'logfmt', 'access', 'plain', 'plain'],
    );
  });
});

describe('parser config schema', () => {
  it('defaults to plain and accepts a regex with named groups', () => {
    assert.deepEqual(v.parse(parserConfigSchema, {}), { format: 'plain' });
    assert.equal(
      v.parse(parserConfigSchema, { format: 'regex', pattern: '(?<msg>.*)' }).pattern,
      '(?<msg>.*)',
    );
  });

  it('refuses unknown formats, patterns without groups and patterns on other formats', () => {
    assert.equal(v.safeParse(parserConfigSchema, { format: 'xml' }).success, false);
    assert.equal(v.safeParse(parserConfigSchema, { format: 'regex', pattern: '(.*)' }).success, false);
    assert.equal(v.safeParse(parserConfigSchema, { format: 'regex' }).success, false);
    assert.equal(v.safeParse(parserConfigSchema, { format: 'json', pattern: '(?<a>x)' }).success, false);
    assert.equal(v.safeParse(parserConfigSchema, { format: 'json', patern: 'x' }).success, false);
  });
});
