import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from './duration.ts';
import { UnitError } from './unitError.ts';

describe('parseDuration', () => {
  it('reads single units into milliseconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1m'), 60_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.equal(parseDuration('1w'), 604_800_000);
  });

  it('reads sub-millisecond units as fractions of a millisecond', () => {
    assert.equal(parseDuration('250us'), 0.25);
    assert.equal(parseDuration('250µs'), 0.25);
    assert.equal(parseDuration('1500ns'), 0.0015);
  });

  it('reads compound durations largest unit first', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('1m30s500ms'), 90_500);
    assert.equal(parseDuration('1h 30m'), 5_400_000);
  });

  it('reads decimals exactly', () => {
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('1.1s'), 1100);
    assert.equal(parseDuration('0.5ms'), 0.5);
  });

  it('accepts a bare zero and surrounding spaces', () => {
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration(' 5s '), 5000);
  });

  const rejects: Array<[string, RegExp]> = [
    ['', /empty/],
    ['5 parsecs', /unknown unit "parsecs"/],
    ['-5s', /negative/],
    ['500', /no unit/],
    ['30m1h', /largest to smallest/],
    ['1s1s', /largest to smallest/],
    ['1H', /unknown unit "H"/],
    ['1.5.3s', /cannot read/],
    ['0.5ns', /finer than a nanosecond/],
    ['99999999999999999999d', /too large/],
    ['5s!', /unknown unit "s!"/],
  ];
  for (const [text, reason] of rejects) {
    it(`rejects ${JSON.stringify(text)} saying why and how to write one`, () => {
      assert.throws(
        () => parseDuration(text),
        (error: unknown) =>
          error instanceof UnitError &&
          error.code === 'duration_invalid' &&
          reason.test(error.message) &&
          error.message.includes('such as 500ms'),
      );
    });
  }
});

describe('formatDuration', () => {
  it('writes durations the way parseDuration reads them', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(500), '500ms');
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(604_800_000), '7d');
    assert.equal(formatDuration(0.25), '250us');
    assert.equal(formatDuration(-1000), '-1s');
    for (const text of ['1h30m', '2d3h4m5s6ms', '1s500ms'])
      assert.equal(formatDuration(parseDuration(text)), text);
  });
});
