import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJson } from './json.ts';
import { PARSE_ERROR_ATTR, parseErrorOf } from './types.ts';

describe('json parser', () => {
  it('returns the object as parsed, for normalizing to map its aliases', () => {
    assert.deepEqual(parseJson('{"msg":"hi","level":"warn","http":{"status":504}}'), {
      msg: 'hi',
      level: 'warn',
      http: { status: 504 },
    });
  });

  it('keeps a malformed line as the message with the JSON error, never dropping it', () => {
    const record = parseJson('{"msg": "hi", nope}');
    assert.equal(record.message, '{"msg": "hi", nope}');
    assert.match(parseErrorOf(record) ?? '', /^json: .*position 14/);
  });

  it('keeps an array, a number or a string as the message, flagged', () => {
    assert.equal(parseErrorOf(parseJson('[1,2]')), 'json: expected an object, got an array');
    assert.equal(parseErrorOf(parseJson('42')), 'json: expected an object, got a number');
    assert.equal(parseErrorOf(parseJson('"x"')), 'json: expected an object, got a string');
    assert.equal(parseJson('[1,2]').message, '[1,2]');
  });

  it('still lifts level and correlation ID from a plain line in a JSON stream', () => {
    const record = parseJson('ERROR panic: nil map request_id=r-1');
    assert.equal(record.level, 'error');
    assert.equal(record.correlation_id, 'r-1');
    assert.match(parseErrorOf(record) ?? '', /^json: expected an object, got text starting "ERROR/);
  });

  it('gives an object without a message the line itself as message, so normalizing keeps it', () => {
    const line = '{"event":"login","user":"u1"}';
    assert.equal(parseJson(line).message, line);
    assert.equal(parseJson('{"message":{"nested":1}}').message, '{"message":{"nested":1}}');
    assert.equal(parseJson('{"Message":"kept"}').message, undefined); // "Message" is an alias of message
  });

  it('accepts a byte order mark and surrounding whitespace', () => {
    assert.equal(parseJson('\uFEFF  {"msg":"a"}  ').msg, 'a');
  });

  it('flags an empty or blank line', () => {
    assert.equal(parseErrorOf(parseJson('')), 'json: expected an object, got an empty line');
    assert.equal(parseErrorOf(parseJson('   ')), 'json: expected an object, got an empty line');
  });

  it('keeps __proto__ as an own key without touching any prototype', () => {
    const record = parseJson('{"msg":"x","__proto__":{"polluted":true}}');
    assert.ok(Object.hasOwn(record, '__proto__'));
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('returns for 1,000 levels of nesting', () => {
    const deep = `{"msg":"deep","a":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}`;
    const record = parseJson(deep);
    assert.equal(record.msg, 'deep');
    assert.equal(record[PARSE_ERROR_ATTR], undefined);
  });

  it('bounds the error kept for a 1 MB malformed line', () => {
    const record = parseJson(`{"msg":"${'x'.repeat(1 << 20)}`);
    assert.ok((parseErrorOf(record) ?? '').length <= 210);
    assert.equal((record.message as string).length, (1 << 20) + 8);
  });
});
