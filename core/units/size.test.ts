import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSize, parseSize } from './size.ts';
import { UnitError } from './unitError.ts';

describe('parseSize', () => {
  it('reads a bare number as bytes', () => {
    assert.equal(parseSize('100'), 100);
    assert.equal(parseSize('0'), 0);
  });

  it('reads binary units as powers of 1024 and decimal units as powers of 1000', () => {
    assert.equal(parseSize('512KiB'), 524_288);
    assert.equal(parseSize('1GiB'), 1_073_741_824);
    assert.equal(parseSize('10MB'), 10_000_000);
    assert.equal(parseSize('1Mi'), 1_048_576);
    assert.equal(parseSize('7B'), 7);
  });

  it('ignores the case of units and a space before them', () => {
    assert.equal(parseSize('1kib'), 1024);
    assert.equal(parseSize('10 mb'), 10_000_000);
  });

  it('reads decimals exactly when they make whole bytes', () => {
    assert.equal(parseSize('1.5KiB'), 1536);
    assert.equal(parseSize('1.1KB'), 1100);
  });

  const rejects: Array<[string, RegExp]> = [
    ['', /empty/],
    ['-1KiB', /negative/],
    ['5 parsecs', /unknown unit "parsecs"/],
    ['10M', /ambiguous: write 10MB .* or 10MiB/],
    ['1.5B', /whole number of bytes/],
    ['1e6', /not a number followed/],
    ['99999999PiB', /too large/],
    ['KiB', /not a number/],
  ];
  for (const [text, reason] of rejects) {
    it(`rejects ${JSON.stringify(text)} saying why and how to write one`, () => {
      assert.throws(
        () => parseSize(text),
        (error: unknown) =>
          error instanceof UnitError &&
          error.code === 'size_invalid' &&
          reason.test(error.message) &&
          error.message.includes('such as 512KiB'),
      );
    });
  }
});

describe('formatSize', () => {
  it('uses the unit that divides exactly, else two decimals of a binary unit', () => {
    assert.equal(formatSize(1_048_576), '1MiB');
    assert.equal(formatSize(10_000_000), '10MB');
    assert.equal(formatSize(1536), '1.5KiB');
    assert.equal(formatSize(1_234_567), '1.18MiB');
    assert.equal(formatSize(100), '100B');
  });
});
