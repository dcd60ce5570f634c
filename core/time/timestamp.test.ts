import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeInvalidError } from './errors.ts';
import { parseTimestamp, timestampMs } from './timestamp.ts';

const NOON = Date.UTC(2023, 10, 14, 22, 13, 20); // 1700000000 s

describe('parseTimestamp', () => {
  it('normalizes RFC 3339 to UTC Z with at least millisecond precision', () => {
    assert.deepEqual(parseTimestamp('2026-11-23T13:00:00+01:00'), {
      ms: Date.UTC(2026, 10, 23, 12),
      iso: '2026-11-23T12:00:00.000Z',
    });
  });

  it('keeps up to nine fraction digits exactly as given', () => {
    assert.equal(parseTimestamp('2026-11-23T12:00:00.123456Z').iso, '2026-11-23T12:00:00.123456Z');
    assert.equal(parseTimestamp('2026-11-23T12:00:00.120000Z').iso, '2026-11-23T12:00:00.120000Z');
    assert.equal(parseTimestamp('2026-11-23T12:00:00.123456789Z').iso, '2026-11-23T12:00:00.123456789Z');
    assert.equal(parseTimestamp('2026-11-23T12:00:00.1Z').iso, '2026-11-23T12:00:00.100Z');
  });

  it('gives the same ISO text for text already in that form as for any other spelling of the instant', () => {
    const instants = [
      0,
      1,
      999,
      NOON,
      NOON + 7,
      Date.UTC(2262, 3, 11),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (const ms of instants)
      for (const fraction of ['', '4', '45', '456', '456789']) {
        const iso = new Date(ms).toISOString().replace('Z', `${fraction}Z`);
        const offset = iso.replace('Z', '+00:00');
        assert.deepEqual(parseTimestamp(iso), parseTimestamp(offset), iso);
        assert.equal(parseTimestamp(iso).iso, iso);
      }
    assert.throws(() => parseTimestamp('2026-02-30T12:00:00.000Z'), TimeInvalidError);
    assert.throws(() => parseTimestamp('2026-11-23T12:00:60.000Z'), TimeInvalidError);
  });

  it('reads epoch seconds, milliseconds, microseconds and nanoseconds by magnitude', () => {
    assert.deepEqual(parseTimestamp(1_700_000_000), { ms: NOON, iso: '2023-11-14T22:13:20.000Z' });
    assert.deepEqual(parseTimestamp(1_700_000_000_123), { ms: NOON + 123, iso: '2023-11-14T22:13:20.123Z' });
    assert.deepEqual(parseTimestamp('1700000000123456'), {
      ms: NOON + 123,
      iso: '2023-11-14T22:13:20.123456Z',
    });
    assert.deepEqual(parseTimestamp('1700000000123456789'), {
      ms: NOON + 123,
      iso: '2023-11-14T22:13:20.123456789Z',
    });
  });

  it('uses the documented thresholds 1e11, 1e14 and 1e17', () => {
    assert.equal(parseTimestamp('99999999999').ms, 99_999_999_999_000); // seconds
    assert.equal(parseTimestamp('100000000000').ms, 100_000_000_000); // milliseconds
    assert.equal(parseTimestamp('100000000000000').ms, 100_000_000_000); // microseconds
    assert.equal(parseTimestamp('100000000000000000').ms, 100_000_000_000); // nanoseconds
  });

  it('keeps the fraction of fractional epoch seconds and milliseconds', () => {
    assert.deepEqual(parseTimestamp(1_700_000_000.123), { ms: NOON + 123, iso: '2023-11-14T22:13:20.123Z' });
    assert.deepEqual(parseTimestamp('1700000000.123456'), {
      ms: NOON + 123,
      iso: '2023-11-14T22:13:20.123456Z',
    });
    assert.equal(parseTimestamp('1700000000123.5').iso, '2023-11-14T22:13:20.1235Z');
  });

  it('trims surrounding whitespace of strings', () => {
    assert.equal(parseTimestamp(' 1700000000 ').ms, NOON);
  });

  it('refuses negative, non-finite, exponent and far-future epochs and bad text', () => {
    for (const bad of [
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1e-7,
      '1e12',
      '-5',
      '99999999999999999999999',
      'soon',
    ]) {
      assert.throws(() => parseTimestamp(bad), TimeInvalidError, String(bad));
    }
  });
});

describe('timestampMs', () => {
  it('gives the milliseconds parseTimestamp gives', () => {
    for (const value of [
      '2026-11-23T13:00:00.123456+01:00',
      '1700000000123456789',
      1_700_000_000.5,
      '2026-11-23',
    ]) {
      assert.equal(timestampMs(value), parseTimestamp(value).ms, String(value));
    }
    assert.throws(() => timestampMs('soon'), TimeInvalidError);
  });
});
