import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeInvalidError } from './errors.ts';
import { parseRfc3339 } from './rfc3339.ts';

describe('parseRfc3339', () => {
  it('reads UTC timestamps with milliseconds', () => {
    const parsed = parseRfc3339('2026-11-23T12:00:00.123Z');
    assert.equal(parsed.ms, Date.UTC(2026, 10, 23, 12, 0, 0, 123));
    assert.equal(parsed.fractionDigits, 3);
  });

  it('applies zone offsets, with or without a colon', () => {
    const utc = Date.UTC(2026, 10, 23, 11, 0, 0);
    assert.equal(parseRfc3339('2026-11-23T12:00:00+01:00').ms, utc);
    assert.equal(parseRfc3339('2026-11-23T12:00:00+0100').ms, utc);
    assert.equal(parseRfc3339('2026-11-23T10:30:00-00:30').ms, utc);
  });

  it('keeps nanoseconds in nanos and rounds ms down', () => {
    const parsed = parseRfc3339('2026-11-23T12:00:00.123999999Z');
    assert.equal(parsed.ms, Date.UTC(2026, 10, 23, 12, 0, 0, 123));
    assert.equal(parsed.nanos, 123_999_999);
    assert.equal(parsed.fractionDigits, 9);
  });

  it('truncates fraction digits beyond nanoseconds', () => {
    assert.equal(parseRfc3339('2026-11-23T12:00:00.1234567891234Z').nanos, 123_456_789);
  });

  it('accepts a space separator, lowercase t/z, a missing zone (UTC) and a date alone', () => {
    const noon = Date.UTC(2026, 10, 23, 12, 0, 0);
    assert.equal(parseRfc3339('2026-11-23 12:00:00Z').ms, noon);
    assert.equal(parseRfc3339('2026-11-23t12:00:00z').ms, noon);
    assert.equal(parseRfc3339('2026-11-23T12:00:00').ms, noon);
    assert.equal(parseRfc3339('2026-11-23T12:00').ms, noon);
    assert.equal(parseRfc3339('2026-11-23').ms, Date.UTC(2026, 10, 23));
  });

  it('handles years below 100 without the Date.UTC 1900 shift', () => {
    assert.equal(new Date(parseRfc3339('0050-03-01T00:00:00Z').ms).toISOString(), '0050-03-01T00:00:00.000Z');
  });

  it('knows leap years', () => {
    assert.equal(parseRfc3339('2024-02-29T00:00:00Z').ms, Date.UTC(2024, 1, 29));
    assert.throws(() => parseRfc3339('2026-02-29T00:00:00Z'), /day 29 is out of range/);
    assert.throws(() => parseRfc3339('1900-02-29T00:00:00Z'), TimeInvalidError);
  });

  it('refuses out-of-range fields, leap seconds and garbage with code time_invalid', () => {
    for (const bad of [
      '2026-13-01T00:00:00Z',
      '2026-11-23T24:00:00Z',
      '2026-11-23T12:60:00Z',
      '2026-11-23T23:59:60Z',
      '2026-11-23T12:00:00+24:00',
      'yesterday',
      '2026-11-23T12:00:00.Z',
      '',
    ]) {
      assert.throws(
        () => parseRfc3339(bad),
        (err: unknown) => err instanceof TimeInvalidError && err.code === 'time_invalid',
        bad,
      );
    }
  });

  it('refuses instants outside 0000–9999 after applying the offset', () => {
    assert.throws(() => parseRfc3339('0000-01-01T00:00:00+01:00'), /0000–9999/);
  });
});
