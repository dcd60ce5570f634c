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
