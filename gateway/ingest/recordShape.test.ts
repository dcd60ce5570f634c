import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkShape } from './recordShape.ts';

describe('checkShape', () => {
  it('accepts records within the limits', () => {
    assert.equal(checkShape({ a: 1, b: { c: [1, 2] } }, 10, 5), null);
  });

  it('refuses too many fields', () => {
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, i]));
    assert.match(checkShape(wide, 1000, 20) ?? '', /more than 1000 fields/);
  });

  it('refuses deep nesting without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    assert.match(checkShape(deep, 1000, 20) ?? '', /deeper than 20/);
    let deepArray: unknown = 1;
    for (let i = 0; i < 1000; i++) deepArray = [deepArray];
    assert.match(checkShape(deepArray, 1000, 20) ?? '', /deeper than 20/);
  });
});
