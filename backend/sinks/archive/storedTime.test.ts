import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArchiveRowsError } from './errors.ts';
import { microsToMs, restoreTime, storeTime } from './storedTime.ts';

const roundTrip = (text: string) => {
  const stored = storeTime(text);
  return restoreTime(stored.micros, stored.text);
};

describe('archived event times', () => {
  it('stores ms and µs times as microseconds alone', () => {
    const ms = storeTime('2026-11-23T12:00:00.123Z');
    assert.deepEqual(ms, {
      ms: Date.UTC(2026, 10, 23, 12, 0, 0, 123),
      nanos: 0,
      micros: BigInt(Date.UTC(2026, 10, 23, 12, 0, 0, 123)) * 1000n,
      text: null,
    });
    const us = storeTime('2026-11-23T12:00:00.123456Z');
    assert.equal(us.micros, ms.micros + 456n);
    assert.equal(us.text, null);
  });

  it('keeps the text of times microseconds cannot give back, and gives every time back exactly', () => {
    const texts = [
      '2026-11-23T12:00:00.123456789Z', // ns
      '2026-11-23T12:00:00.123000Z', // µs digits, trailing zeros
      '2026-11-23T12:00:00.1234Z',
      '2026-11-23T12:00:00Z',
      '2026-11-23T13:00:00.5+01:00',
      '1969-12-31T23:59:59.999999Z',
      '0001-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999999Z',
    ];
    for (const text of texts) assert.equal(roundTrip(text), text);
    assert.notEqual(storeTime('2026-11-23T12:00:00.123456789Z').text, null);
    assert.equal(storeTime('1969-12-31T23:59:59.999999Z').text, null);
  });

  it('orders by nanoseconds within a millisecond, and by the instant for other spellings', () => {
    const a = storeTime('2026-11-23T12:00:00.123000001Z');
    const b = storeTime('2026-11-23T12:00:00.123000002Z');
    assert.ok(a.ms === b.ms && a.nanos < b.nanos);
    assert.equal(storeTime('2026-11-23T13:00:00.5+01:00').ms, Date.UTC(2026, 10, 23, 12, 0, 0, 500));
  });

  it('refuses what is not a time, naming the event', () => {
    assert.throws(
      () => storeTime('yesterday', 'e1'),
      (e: unknown) => e instanceof ArchiveRowsError && e.eventId === 'e1',
    );
    assert.throws(() => storeTime('2026-02-30T00:00:00.000Z'), ArchiveRowsError);
  });

  it('floors microseconds before 1970 to the millisecond below', () => {
    assert.equal(microsToMs(-1n), -1);
    assert.equal(microsToMs(-1000n), -1);
    assert.equal(microsToMs(1999n), 1);
  });
});
