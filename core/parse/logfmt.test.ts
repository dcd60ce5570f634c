import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogfmt } from './logfmt.ts';
import { parseErrorOf } from './types.ts';

describe('logfmt parser', () => {
  it('reads bare, quoted and escaped values and bare keys as true', () => {
    assert.deepEqual(parseLogfmt('level=info msg="quoted \\" value" path=C:\\tmp dry_run user='), {
      level: 'info',
      msg: 'quoted " value',
      path: 'C:\\tmp',
      dry_run: true,
      user: '',
    });
  });

  it('turns plain decimals into numbers but leaves ids and anything that would change as text', () => {
    const record = parseLogfmt(
      'msg=x qty=2 rt=0.045 neg=-3 id=0193f2c4 zero=007 price=1.50 exp=1e5 big=12345678901234567890',
    );
    assert.deepEqual(
      [record.qty, record.rt, record.neg, record.id, record.zero, record.price, record.exp, record.big],
      [2, 0.045, -3, '0193f2c4', '007', '1.50', '1e5', '12345678901234567890'],
    );
  });

  it('keeps a quoted number as text: quoting says it is text', () => {
    assert.equal(parseLogfmt('msg=x code="409"').code, '409');
  });

  it('unescapes \\n and \\t inside quotes', () => {
    assert.equal(parseLogfmt('msg="a\\nb\\tc"').msg, 'a\nb\tc');
  });

  it('takes the rest of the line for an unterminated quote and flags it', () => {
    const record = parseLogfmt('level=warn msg="never closed level=error');
    assert.equal(record.msg, 'never closed level=error');
    assert.equal(record.level, 'warn');
    assert.equal(parseErrorOf(record), 'logfmt: unterminated quote in the value of "msg"');
  });

  it('uses the line as message when it has no msg', () => {
    assert.equal(parseLogfmt('level=info a=1').message, 'level=info a=1');
  });

  it('keeps a line with no pairs as a plain message, flagged', () => {
    const record = parseLogfmt('ERROR just prose');
    assert.equal(record.message, 'ERROR just prose');
    assert.equal(record.level, 'error');
    assert.equal(parseErrorOf(record), 'logfmt: no key=value pairs');
  });

  it('skips keyless garbage and NUL separators without throwing', () => {
    assert.deepEqual(parseLogfmt('="x" =y "stray" a=1\u0000b=2 =='), {
      a: 1,
      b: 2,
      message: '="x" =y "stray" a=1\u0000b=2 ==',
    });
  });

  it('keeps __proto__ as an own key without polluting prototypes', () => {
    const record = parseLogfmt('msg=x __proto__=1 constructor=2');
    assert.equal(Object.getOwnPropertyDescriptor(record, '__proto__')?.value, 1);
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.equal(record.constructor, 2);
  });

  it('lets the last duplicate win', () => {
    assert.equal(parseLogfmt('msg=a msg=b').msg, 'b');
  });
});
