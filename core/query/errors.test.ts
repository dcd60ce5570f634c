import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QuerySyntaxError, renderCaret } from './errors.ts';
import { parseQuery } from './parser.ts';

describe('renderCaret', () => {
  it('puts a caret under the offending character', () => {
    assert.equal(renderCaret('(a OR b', 7), '(a OR b\n       ^');
    assert.equal(renderCaret('ab "cd', 3), 'ab "cd\n   ^');
  });

  it('shows a window around the position of a long query, marking cut ends', () => {
    const query = `${'a '.repeat(100)}"unterminated${' b'.repeat(100)}`;
    const [line, caret] = renderCaret(query, 200, 40).split('\n');
    assert.equal(line.length, 42);
    assert.ok(line.startsWith('…') && line.endsWith('…'));
    assert.equal(line[caret.indexOf('^')], '"');
  });

  it('flattens newlines and tabs so the caret stays aligned', () => {
    assert.equal(renderCaret('a\n(b', 4), 'a (b\n    ^');
  });

  it('renders the position a parse error reports', () => {
    const query = 'service:x (level:warn';
    try {
      parseQuery(query);
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof QuerySyntaxError);
      assert.equal(renderCaret(query, err.position), `${query}\n${' '.repeat(21)}^`);
    }
  });
});
