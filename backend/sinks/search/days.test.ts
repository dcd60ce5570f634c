import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS, dayEndsBy, dayLabel, dayOf, daysOverlapping, parseDayLabel } from './days.ts';

describe('UTC days', () => {
  const day = dayOf(Date.UTC(2026, 10, 23, 23, 59));

  it('labels days and reads only real dates back', () => {
    assert.equal(dayLabel(day), '2026-11-23');
    assert.equal(dayLabel(day, '.'), '2026.11.23');
    assert.equal(parseDayLabel('2026.11.23', '.'), day);
    assert.equal(parseDayLabel('2026-02-29'), null);
    assert.equal(parseDayLabel('2026-1-01'), null);
  });

  it('reads back the days of years 0001 and 9999 (not 1901), so retention can drop their files', () => {
    for (const label of ['0001-01-01', '0099-12-31', '9999-12-31', '1970-01-01']) {
      const parsed = parseDayLabel(label);
      assert.equal(parsed, dayOf(Date.parse(`${label}T00:00:00Z`)), label);
      assert.equal(dayLabel(parsed as number), label);
    }
    assert.ok(dayEndsBy(parseDayLabel('0001-01-01') as number, Date.UTC(2026, 0, 1)));
  });

  it('treats ranges as [from, to): a range ending at midnight does not touch the next day', () => {
    const midnight = (day + 1) * DAY_MS;
    assert.deepEqual(daysOverlapping({ from: midnight - 1, to: midnight }), { first: day, last: day });
    assert.deepEqual(daysOverlapping({ from: midnight - 1, to: midnight + 1 }), {
      first: day,
      last: day + 1,
    });
    assert.equal(daysOverlapping({ from: midnight, to: midnight }), null);
  });

  it('expires a day only once all of it is before the cut-off', () => {
    const midnight = (day + 1) * DAY_MS;
    assert.equal(dayEndsBy(day, midnight), true);
    assert.equal(dayEndsBy(day, midnight - 1), false);
  });
});
