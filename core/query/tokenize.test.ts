import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRICKY } from './testing/trickyTexts.ts';
import { foldCase, isTokenChar, TOKEN_SEPARATOR_PATTERN, tokenize } from './tokenize.ts';

describe('tokenize', () => {
  it('splits on everything but letters and digits, and lowercases', () => {
    assert.deepEqual(tokenize("Foo_bar 3.14 can't"), ['foo', 'bar', '3', '14', 'can', 't']);
    assert.deepEqual(tokenize('payment-gateway: TIMEOUT!'), ['payment', 'gateway', 'timeout']);
    assert.deepEqual(tokenize('日本語テキスト 中文'), ['日本語テキスト', '中文']);
    assert.deepEqual(tokenize('😀emoji🎉x'), ['emoji', 'x']);
    assert.deepEqual(tokenize('--- ...'), []);
  });

  it('splits decomposed accents off their letter (combining marks are not letters)', () => {
    assert.deepEqual(tokenize('cafe\u0301'), ['cafe']);
    assert.deepEqual(tokenize('café'), ['café']);
  });

  it('folds per code point: İ to i, Σ to σ everywhere, ς kept', () => {
    assert.deepEqual(tokenize('İSTANBUL ΣΟΦΟΣ σοφος'), ['istanbul', 'σοφοσ', 'σοφος']);
    assert.equal(foldCase('AΣ.'), 'aσ.');
  });

  it('folds every code point to exactly one code point of the same letter/digit class', () => {
    const bad: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      const folded = foldCase(char);
      if ([...folded].length !== 1 || isTokenChar(folded) !== isTokenChar(char)) bad.push(cp.toString(16));
    }
    assert.deepEqual(bad, []);
  });

  it('exports the separator pattern the OpenSearch analyzer uses, splitting like tokenize', () => {
    const separator = new RegExp(TOKEN_SEPARATOR_PATTERN, 'u');
    for (const text of TRICKY) {
      const pieces = text
        .split(separator)
        .filter((piece) => piece !== '')
        .map(foldCase);
      assert.deepEqual(pieces, tokenize(text), text);
    }
  });
});
