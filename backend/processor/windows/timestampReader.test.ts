import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../core/random/mulberry32.ts';
import { createTimestampReader } from './timestampReader.ts';

describe('timestamp reader', () => {
  it('reads normalized timestamps exactly as Date.parse does, sub-millisecond digits truncated', () => {
    const read = createTimestampReader();
    const random = mulberry32(42);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor((random() - 0.3) * 4e12);
      const iso = new Date(ms).toISOString();
      const variants = [
        iso,
        iso.replace(/\.\d{3}Z$/, 'Z'),
        iso.replace('Z', '456789Z'),
        iso.replace(/\d\dZ$/, 'Z'),
      ];
      for (const text of variants) assert.equal(read(text), Date.parse(text), text);
    }
  });

  it('falls back to Date.parse for other shapes and answers NaN for unreadable ones', () => {
    const read = createTimestampReader();
    const cases = [
      '2026-11-23T12:00:00+02:00',
      '2026-11-23t12:00:00z',
      '2026-11-23T12:00:60Z',
      '2026-11-23T12:00:00.Z',
      '2026-11-23T12:00:0xZ',
      '2026-11-23T12:00:00.1x3Z',
      '2026-11-23T12:0a:00.123Z',
      'not a time at all, Z',
      '',
    ];
    for (const text of cases) assert.deepEqual(read(text), Date.parse(text), text);
    assert.ok(Number.isNaN(read('2026-11-23T12:00:00.Z')));
  });
});
