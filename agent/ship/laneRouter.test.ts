import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { laneRouter } from './laneRouter.ts';

describe('laneRouter', () => {
  it('always sends one file to the same lane', () => {
    const a = laneRouter(4);
    const b = laneRouter(4);
    for (const id of ['f1', 'dev:ino:123', 'stdin-0193']) assert.equal(a(id), b(id));
  });

  it('spreads files over all lanes', () => {
    const route = laneRouter(4);
    const used = new Set<number>();
    for (let i = 0; i < 100; i++) used.add(route(`file-${i}`));
    assert.deepEqual([...used].sort(), [0, 1, 2, 3]);
  });
});
