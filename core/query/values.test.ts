import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attrText, parseQueryNumber, readAttr } from './values.ts';

describe('parseQueryNumber', () => {
  it('reads plain decimals with sign, fraction and exponent', () => {
    const cases: Array<[string, number]> = [
      ['504', 504],
      ['-1.5', -1.5],
      ['+2', 2],
      ['.5', 0.5],
      ['5.', 5],
      ['2e3', 2000],
      ['007', 7],
    ];
    for (const [text, value] of cases) assert.equal(parseQueryNumber(text), value, text);
  });

  it('refuses hex, separators, words and overflow', () => {
    for (const text of ['0x10', '1_000', 'Infinity', 'NaN', '', '1e400', '1.2.3', ' 5'])
      assert.equal(parseQueryNumber(text), null, text);
  });
});

describe('readAttr and attrText', () => {
  it('sees JSON scalars and treats null, non-finite numbers, non-scalars and inherited names as missing', () => {
    const attrs = {
      s: 'x',
      n: 1.5,
      b: false,
      z: null,
      inf: Number.POSITIVE_INFINITY,
      arr: [1] as unknown as null,
    };
    assert.equal(readAttr(attrs, 's'), 'x');
    assert.equal(readAttr(attrs, 'n'), 1.5);
    assert.equal(readAttr(attrs, 'b'), false);
    for (const name of ['z', 'inf', 'arr', 'missing', 'toString'])
      assert.equal(readAttr(attrs, name), undefined, name);
  });

  it('writes numbers in their JSON form and booleans as words', () => {
    assert.equal(attrText(1e21), '1e+21');
    assert.equal(attrText(0.1 + 0.2), '0.30000000000000004');
    assert.equal(attrText(true), 'true');
    assert.equal(attrText('A-1'), 'A-1');
  });
});
