import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { durationSchema, sizeSchema } from './schema.ts';

function messages(result: v.SafeParseResult<v.GenericSchema>): string[] {
  return result.success ? [] : result.issues.map((issue) => issue.message);
}

describe('durationSchema', () => {
  it('turns strings and numbers into milliseconds', () => {
    assert.equal(v.parse(durationSchema(), '1h30m'), 5_400_000);
    assert.equal(v.parse(durationSchema(), 250), 250);
  });

  it('names the expected form for a wrong type', () => {
    assert.deepEqual(messages(v.safeParse(durationSchema(), true)), [
      'expected a duration such as 500ms, 30s, 5m, 7d',
    ]);
  });

  it('says what was found and why it is not a duration', () => {
    assert.deepEqual(messages(v.safeParse(durationSchema(), '5 parsecs')), [
      'expected a duration such as 500ms, 30s, 5m, 7d, found "5 parsecs": unknown unit "parsecs" (units: ns, us, ms, s, m, h, d, w)',
    ]);
    assert.match(messages(v.safeParse(durationSchema(), -3))[0], /found -3: durations cannot be negative/);
  });

  it('enforces bounds, written as durations', () => {
    assert.match(
      messages(v.safeParse(durationSchema({ min: 1000 }), '10ms'))[0],
      /the smallest allowed is 1s/,
    );
    assert.match(
      messages(v.safeParse(durationSchema({ max: 60_000 }), '2m'))[0],
      /the largest allowed is 1m/,
    );
  });
});

describe('sizeSchema', () => {
  it('turns strings and numbers into bytes', () => {
    assert.equal(v.parse(sizeSchema(), '1MiB'), 1_048_576);
    assert.equal(v.parse(sizeSchema(), 4096), 4096);
  });

  it('rejects fractional byte counts and wrong types', () => {
    assert.match(
      messages(v.safeParse(sizeSchema(), 1.5))[0],
      /found 1.5: sizes are a whole, non-negative number/,
    );
    assert.deepEqual(messages(v.safeParse(sizeSchema(), [])), [
      'expected a size such as 512KiB, 10MB, 1GiB (or a number of bytes)',
    ]);
  });

  it('enforces bounds, written as sizes', () => {
    assert.match(messages(v.safeParse(sizeSchema({ min: 1024 }), '10B'))[0], /the smallest allowed is 1KiB/);
  });
});
