import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeInvalidError } from './errors.ts';
import { parseTimeExpression } from './expression.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('parseTimeExpression', () => {
  it('reads now and relative times in s, m, h, d and w', () => {
    assert.equal(parseTimeExpression('now', NOW), NOW);
    assert.equal(parseTimeExpression('now-30s', NOW), NOW - 30_000);
    assert.equal(parseTimeExpression('now-15m', NOW), NOW - 15 * 60_000);
    assert.equal(parseTimeExpression('now-2h', NOW), NOW - 2 * 3_600_000);
    assert.equal(parseTimeExpression('now-7d', NOW), NOW - 7 * 86_400_000);
    assert.equal(parseTimeExpression('now-1w', NOW), NOW - 7 * 86_400_000);
    assert.equal(parseTimeExpression('now+1h', NOW), NOW + 3_600_000);
  });

  it('reads RFC 3339 and dates alone', () => {
    assert.equal(parseTimeExpression('2026-11-23T11:00:00Z', NOW), NOW - 3_600_000);
    assert.equal(parseTimeExpression('2026-11-23', NOW), NOW - 12 * 3_600_000);
  });

  it('reads plain digits as epoch milliseconds, whatever their magnitude', () => {
    assert.equal(parseTimeExpression('1700000000', NOW), 1_700_000_000);
    assert.equal(parseTimeExpression('1700000000000', NOW), 1_700_000_000_000);
  });

  it('refuses unknown units, months, spaces inside and garbage, saying what it expects', () => {
    for (const bad of ['now-15', 'now-1M', 'now-1y', 'now - 15m', 'yesterday', '', 'now-15min']) {
      assert.throws(
        () => parseTimeExpression(bad, NOW),
        (err: unknown) => err instanceof TimeInvalidError && err.code === 'time_invalid',
        bad,
      );
    }
    assert.throws(() => parseTimeExpression('soon', NOW), /expected now, now-<n><unit>/);
  });

  it('bounds the input repeated in the message', () => {
    assert.throws(
      () => parseTimeExpression('x'.repeat(1000), NOW),
      (err: unknown) => err instanceof TimeInvalidError && err.message.length < 250,
    );
  });
});
