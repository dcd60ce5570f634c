import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRecentIds } from './recentIds.ts';

describe('recent ids of a partition', () => {
  it('knows the ids it was given, and forgets the oldest beyond its capacity', () => {
    const recent = createRecentIds(3);
    recent.addAll(['a', 'b', 'c']);
    assert.ok(recent.has('a') && recent.has('b') && recent.has('c'));
    recent.addAll(['d']);
    assert.equal(recent.has('a'), false, 'the oldest is forgotten');
    assert.ok(recent.has('b') && recent.has('d'));
    assert.equal(recent.size, 3);
  });

  it('does not count an id given twice as two', () => {
    const recent = createRecentIds(2);
    recent.addAll(['a', 'a', 'b']);
    recent.addAll(['a']);
    assert.ok(recent.has('a') && recent.has('b'));
    assert.equal(recent.size, 2);
  });
});
