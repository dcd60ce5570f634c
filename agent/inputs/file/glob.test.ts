import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileInputError } from './fileInputError.ts';
import { compileExclude, compileGlob } from './glob.ts';

describe('glob', () => {
  it('starts matching at the longest directory without wildcards', () => {
    const glob = compileGlob('/var/log/app/*.log');
    assert.equal(glob.base, '/var/log/app');
    assert.equal(glob.segments.length, 1);
    assert.equal(compileGlob('/var/log/**/x.log').base, '/var/log');
    assert.equal(compileGlob('logs/a.log', '/srv').base, '/srv/logs');
  });

  it('translates *, ?, classes and escapes one segment at a time', () => {
    const [star] = compileGlob('/d/a*.lo?').segments;
    assert.ok(star.kind === 'pattern');
    assert.ok(star.re.test('app.log'));
    assert.ok(star.re.test('a.log'));
    assert.ok(!star.re.test('app.logs'));
    assert.ok(!star.re.test('bpp.log'));
    const [cls] = compileGlob('/d/app.[0-9]').segments;
    assert.ok(cls.kind === 'pattern' && cls.re.test('app.3') && !cls.re.test('app.x'));
    const [neg] = compileGlob('/d/app.[!0-9]').segments;
    assert.ok(neg.kind === 'pattern' && neg.re.test('app.x') && !neg.re.test('app.3'));
    const [literal] = compileGlob('/d/a\\*b').segments;
    assert.ok(literal.kind === 'pattern' && literal.re.test('a*b') && !literal.re.test('axb'));
  });

  it('rejects an unclosed class with an error naming the pattern', () => {
    assert.throws(
      () => compileGlob('/d/app.[0-9'),
      (error: unknown) => {
        assert.ok(error instanceof FileInputError);
        assert.equal(error.code, 'glob_invalid');
        assert.match(error.message, /app\.\[0-9/);
        return true;
      },
    );
  });

  it('matches exclude patterns without a slash on the file name, others on the whole path', () => {
    const gz = compileExclude('*.gz');
    assert.ok(gz('/var/log/app.log.1.gz'));
    assert.ok(!gz('/var/log/gz/app.log'));
    const debug = compileExclude('/var/log/**/debug/*');
    assert.ok(debug('/var/log/debug/x.log'));
    assert.ok(debug('/var/log/a/b/debug/x.log'));
    assert.ok(!debug('/var/log/a/debugging/x.log'));
  });
});
