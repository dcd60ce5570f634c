import assert from 'node:assert/strict';

/**
 * Same point keys, and values equal up to float rounding (sums accumulate in one order in both, but
 * the checker should not depend on that).
 */
export function assertSamePoints(
  actual: Map<string, number>,
  expected: Map<string, number>,
  context = '',
): void {
  const missing = [...expected.keys()].filter((key) => !actual.has(key));
  const extra = [...actual.keys()].filter((key) => !expected.has(key));
  assert.deepEqual(
    { missing: missing.slice(0, 5), extra: extra.slice(0, 5) },
    { missing: [], extra: [] },
    context,
  );
  for (const [key, want] of expected) {
    const got = actual.get(key)!;
    const close = got === want || Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
    assert.ok(close, `${context} ${key}: got ${got}, want ${want}`);
  }
}
