import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRegexParser } from './regex.ts';
import { ParseConfigError, parseErrorOf } from './types.ts';

describe('regex parser', () => {
  const parse = createRegexParser(
    '^(?<ts>\\S+) (?<level>\\w+) (?:status=(?<http__status>\\d+) )?(?<msg>.*)$',
  );

  it('turns named groups into fields, __ into dots, attribute numbers into numbers', () => {
    assert.deepEqual(parse('2026-11-23T12:00:00Z WARN status=504 upstream slow'), {
      ts: '2026-11-23T12:00:00Z',
      level: 'WARN',
      'http.status': 504,
      msg: 'upstream slow',
    });
  });

  it('leaves out groups that did not take part', () => {
    assert.equal(Object.hasOwn(parse('2026-11-23T12:00:00Z INFO ok'), 'http.status'), false);
  });

  it('keeps event fields as matched text, even when they look numeric', () => {
    const numeric = createRegexParser('^(?<ts>\\d+) (?<msg>.*)$');
    assert.equal(numeric('1795435200250 hi').ts, '1795435200250');
  });

  it('keeps a non-matching line as the message with "regex: no match"', () => {
    const record = parse('garbage');
    assert.equal(record.message, 'garbage');
    assert.equal(parseErrorOf(record), 'regex: no match');
  });

  it('uses the line as message when the pattern has no message group', () => {
    const noMessage = createRegexParser('^(?<level>[A-Z]+) ');
    assert.deepEqual(noMessage('ERROR boom'), { level: 'ERROR', message: 'ERROR boom' });
  });

  it('lifts a correlation ID from the message unless a group supplies one', () => {
    assert.equal(parse('2026-11-23T12:00:00Z INFO done cid=c-1').correlation_id, 'c-1');
    const withGroup = createRegexParser('^(?<request_id>\\S+) (?<msg>.*)$');
    const record = withGroup('r-9 done cid=c-1');
    assert.equal(record.request_id, 'r-9');
    assert.equal(record.correlation_id, undefined);
  });

  it('refuses, at build time, a pattern that does not compile or names no group', () => {
    assert.throws(() => createRegexParser('(?<a>'), ParseConfigError);
    assert.throws(() => createRegexParser('^(\\w+) (.*)$'), /no named groups/);
    assert.throws(() => createRegexParser('(?<=x)y'), /no named groups/);
  });

  it('is not fooled by a __proto__ group', () => {
    const proto = createRegexParser('^(?<__proto__>\\w+) (?<msg>.*)$');
    const record = proto('x y');
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(record, '__proto__')?.value, 'x');
  });
});
