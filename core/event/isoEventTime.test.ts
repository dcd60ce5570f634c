import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimestamp } from '../time/timestamp.ts';
import { eventTimeIso } from './isoEventTime.ts';

/** What parseTimestamp makes of a value, the reference the shortcuts must agree with. */
function reference(value: string | number): string | null {
  try {
    return parseTimestamp(value).iso;
  } catch {
    return null;
  }
}

// biome-ignore format: one value per reason reads better in rows
const VALUES: Array<string | number> = [
  // canonical: kept as they are
  '2026-11-23T12:00:00.123Z', '2026-11-23T12:00:00.123456Z', '2026-11-23T12:00:00.123456789Z',
  '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2024-02-29T23:59:59.999Z',
  // canonical without fraction: `.000` added
  '2026-11-23T12:00:00Z',
  // valid, but another form: the slow path
  '2026-11-23T12:00:00.1Z', '2026-11-23T12:00:00.12Z', '2026-11-23T12:00:00.1234567891Z',
  '2026-11-23t12:00:00.000z', '2026-11-23 12:00:00.000Z', ' 2026-11-23T12:00:00.000Z', '2026-11-23',
  '2026-11-23T13:00:00.500+01:00', '2026-11-23T12:00:00.000', '1795435200', '1795435200.25',
  // invalid dates and times look canonical but are not
  '2026-02-29T12:00:00.000Z', '2026-11-31T12:00:00.000Z', '2026-13-01T12:00:00.000Z',
  '2026-00-10T12:00:00.000Z', '2026-11-00T12:00:00.000Z', '2026-11-23T24:00:00.000Z',
  '2026-11-23T23:60:00.000Z', '2026-11-23T23:59:60.000Z', '2026-1a-23T12:00:00.000Z',
  '2026-11-23T12:00:00.00aZ', '2026-11-23T12:00:00.Z', '2026-11-23T12:00:00,000Z',
  '2026-11-23T12:00:00.123ZZ', '２026-11-23T12:00:00.000Z', '', 'yesterday',
  // epoch numbers: whole seconds and milliseconds take Date, the rest the slow path
  0, -0, 1795435200, 99_999_999_999, 100_000_000_000, 1795435200250, 99_999_999_999_999,
  100_000_000_000_000, 1795435200.25, 1795435200250.5, -1, Number.NaN, Number.POSITIVE_INFINITY,
];

describe('eventTimeIso', () => {
  for (const value of VALUES) {
    it(`reads ${JSON.stringify(value)} as parseTimestamp does`, () => {
      assert.equal(eventTimeIso(value), reference(value));
    });
  }

  it('agrees with parseTimestamp on every millisecond-ish time of a long random walk', () => {
    let ms = Date.UTC(1999, 11, 31, 23, 59, 58);
    for (let i = 0; i < 20_000; i++) {
      ms += (i * 7919) % 86_400_000;
      const iso = new Date(ms).toISOString();
      assert.equal(eventTimeIso(iso), reference(iso));
      assert.equal(eventTimeIso(`${iso.slice(0, 19)}Z`), reference(`${iso.slice(0, 19)}Z`));
      assert.equal(eventTimeIso(ms), reference(ms));
    }
  });
});
