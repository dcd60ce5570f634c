import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type QueryNode, stripSpans } from './ast.ts';
import { QuerySyntaxError, QueryTooComplexError } from './errors.ts';
import { parseQuery } from './parser.ts';

const word = (token: string): QueryNode => ({
  type: 'text',
  tokens: [token],
  prefix: false,
  start: 0,
  end: 0,
});
const parse = (q: string) => stripSpans(parseQuery(q, { nowMs: 0 }));

function syntaxError(q: string, position: number, message: RegExp): void {
  assert.throws(
    () => parseQuery(q),
    (err: unknown) => {
      assert.ok(err instanceof QuerySyntaxError, `expected QuerySyntaxError for ${q}, got ${String(err)}`);
      assert.equal(err.code, 'query_syntax');
      assert.equal(err.position, position, `position for ${q}`);
      assert.match(err.message, message);
      return true;
    },
  );
}

describe('parser: structure', () => {
  it('reads adjacency and explicit AND as one flat AND', () => {
    const and = { type: 'and', children: [word('a'), word('b'), word('c')], start: 0, end: 0 };
    assert.deepEqual(parse('a b c'), and);
    assert.deepEqual(parse('a AND b c'), and);
  });

  it('binds AND tighter than OR', () => {
    assert.deepEqual(parse('a b OR c'), {
      type: 'or',
      children: [{ type: 'and', children: [word('a'), word('b')], start: 0, end: 0 }, word('c')],
      start: 0,
      end: 0,
    });
  });

  it('keeps parenthesized groups as nested nodes', () => {
    assert.deepEqual(parse('(a OR b) AND c'), {
      type: 'and',
      children: [{ type: 'or', children: [word('a'), word('b')], start: 0, end: 0 }, word('c')],
      start: 0,
      end: 0,
    });
    assert.deepEqual(parse('((a))'), word('a'));
  });

  it('reads NOT and an attached - as negation, binding tighter than AND', () => {
    const expected = {
      type: 'and',
      children: [
        { type: 'not', child: word('a'), start: 0, end: 0 },
        { type: 'not', child: word('b'), start: 0, end: 0 },
      ],
      start: 0,
      end: 0,
    };
    assert.deepEqual(parse('-a NOT b'), expected);
    assert.deepEqual(parse('NOT NOT a'), {
      type: 'not',
      child: { type: 'not', child: word('a'), start: 0, end: 0 },
      start: 0,
      end: 0,
    });
  });

  it('treats lowercase and/or/not as words, and keywords glued to other text as words', () => {
    assert.deepEqual(parse('a and b'), {
      type: 'and',
      children: [word('a'), word('and'), word('b')],
      start: 0,
      end: 0,
    });
    assert.deepEqual(parse('ANDROID'), word('android'));
    assert.deepEqual(parse('"AND"'), word('and'));
  });

  it('lets parentheses and quotes end a word', () => {
    assert.deepEqual(parse('a(b)"c"'), {
      type: 'and',
      children: [word('a'), word('b'), word('c')],
      start: 0,
      end: 0,
    });
  });

  it('reads an empty or blank query, and a lone *, as match-all', () => {
    for (const q of ['', '   ', '*']) assert.deepEqual(parse(q), { type: 'all', start: 0, end: 0 });
  });
});

describe('parser: positions', () => {
  it('gives every node start and end offsets into the query', () => {
    const ast = parseQuery('foo (bar OR -"baz qux") service:x*');
    assert.equal(ast.type, 'and');
    if (ast.type !== 'and') return;
    assert.deepEqual([ast.start, ast.end], [0, 34]);
    const [foo, or, service] = ast.children;
    assert.deepEqual([foo.start, foo.end], [0, 3]);
    assert.deepEqual([or.start, or.end], [5, 22]);
    assert.deepEqual([service.start, service.end], [24, 34]);
    if (or.type !== 'or') return assert.fail('expected or');
    const not = or.children[1];
    assert.deepEqual([not.start, not.end], [12, 22]);
    if (not.type !== 'not') return assert.fail('expected not');
    assert.deepEqual([not.child.start, not.child.end], [13, 22]);
  });
});

describe('parser: errors', () => {
  it('reports a missing closing parenthesis where it was expected', () => {
    syntaxError('(a OR b c', 9, /^expected '\)' at position 9$/);
    syntaxError('service:x (level:warn', 21, /expected '\)' at position 21/);
  });

  it('reports an unterminated quote at its opening quote', () => {
    syntaxError('ab "cd', 3, /^unterminated quote starting at position 3$/);
    syntaxError('x:"say \\"hi', 2, /unterminated quote starting at position 2/);
  });

  it('reports stray and missing terms', () => {
    syntaxError('a)', 1, /unexpected '\)' at position 1/);
    syntaxError('a OR', 4, /expected a term at position 4/);
    syntaxError('OR a', 0, /expected a term at position 0/);
    syntaxError('a AND AND b', 6, /expected a term at position 6/);
    syntaxError('()', 1, /expected a term at position 1/);
    syntaxError('a - b', 2, /expected a term right after '-' at position 2/);
    syntaxError('NOT', 3, /expected a term at position 3/);
  });

  it('refuses wildcards that are not a trailing *', () => {
    syntaxError('a*b', 1, /only allowed at the end/);
    syntaxError('*foo', 0, /only allowed at the end/);
    syntaxError('foo**', 3, /only allowed at the end/);
    syntaxError('foo-*', 4, /a prefix needs a letter or digit/);
  });

  it('refuses full-text terms with nothing to search for', () => {
    syntaxError('=>', 0, /nothing to search for in '=>'/);
    syntaxError('a "..."', 2, /nothing to search for/);
  });

  it('refuses a field with no value right after the operator', () => {
    syntaxError('service: checkout', 8, /expected a value after 'service:' at position 8/);
    syntaxError('x>=', 3, /expected a value after 'x>='/);
    syntaxError('service:(a OR b)', 8, /expected a value/);
  });
});

describe('parser: limits', () => {
  const tooComplex = (q: string, options: Parameters<typeof parseQuery>[1], message: RegExp) =>
    assert.throws(
      () => parseQuery(q, options),
      (err: unknown) =>
        err instanceof QueryTooComplexError && err.code === 'query_too_complex' && message.test(err.message),
    );

  it('refuses queries longer than maxLength (default 4096)', () => {
    tooComplex('a'.repeat(4097), {}, /4097 characters long; the limit is 4096/);
    tooComplex('abcdef', { maxLength: 5 }, /limit is 5/);
    assert.doesNotThrow(() => parseQuery('a'.repeat(4096)));
  });

  it('refuses nesting deeper than maxDepth (default 32), counting parentheses and negations', () => {
    tooComplex(`${'('.repeat(33)}a${')'.repeat(33)}`, {}, /deeper than 32/);
    tooComplex(`${'-'.repeat(33)}a`, {}, /deeper than 32/);
    tooComplex('-(-(a))', { maxDepth: 3 }, /deeper than 3/);
    assert.doesNotThrow(() => parseQuery(`${'('.repeat(32)}a${')'.repeat(32)}`));
  });

  it('refuses more than maxTerms terms (default 128)', () => {
    tooComplex(Array.from({ length: 129 }, (_, i) => `w${i}`).join(' '), {}, /more than 128 terms/);
    tooComplex('a b c', { maxTerms: 2 }, /more than 2 terms/);
    assert.doesNotThrow(() => parseQuery(Array.from({ length: 128 }, (_, i) => `w${i}`).join(' ')));
  });
});
