import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertInstance } from './alertInstance.ts';
import { type Observation, transition } from './transition.ts';

const MIN = 60_000;
const seen = (holds: boolean, now: number, count = holds ? 5 : 0): Observation => ({
  rule: 'r',
  tenant: 't',
  groupKey: '[]',
  group: {},
  holds,
  count,
  countExact: true,
  now,
});

/** Runs observations through the state machine; returns each step's state and notification. */
function run(forMs: number, steps: Array<[boolean, number]>) {
  let alert: AlertInstance | null = null;
  return steps.map(([holds, now]) => {
    const step = transition(alert, seen(holds, now), forMs);
    alert = step.next;
    return [step.next?.state ?? 'inactive', step.notify];
  });
}

describe('alert state machine', () => {
  it('waits out `for` in pending, then fires once, and resolves once when the condition clears', () => {
    assert.deepEqual(
      run(2 * MIN, [
        [true, 0],
        [true, MIN],
        [true, 2 * MIN],
        [true, 3 * MIN],
        [false, 4 * MIN],
        [false, 5 * MIN],
      ]),
      [
        ['pending', null],
        ['pending', null],
        ['firing', 'firing'],
        ['firing', null],
        ['resolved', 'resolved'],
        ['inactive', null],
      ],
    );
  });

  it('fires at the first evaluation with for: 0', () => {
    assert.deepEqual(run(0, [[true, 0]]), [['firing', 'firing']]);
  });

  it('drops a pending alert whose condition clears without telling anyone', () => {
    assert.deepEqual(
      run(5 * MIN, [
        [true, 0],
        [false, MIN],
        [true, 2 * MIN],
      ]),
      [
        ['pending', null],
        ['inactive', null],
        ['pending', null],
      ],
    );
  });

  it('starts over at pending when a resolved alert holds again', () => {
    const steps = run(MIN, [
      [true, 0],
      [true, MIN],
      [false, 2 * MIN],
      [true, 3 * MIN],
    ]);
    assert.deepEqual(steps.at(-1), ['pending', null]);
  });

  it('keeps when the condition started and when the alert fired', () => {
    const pending = transition(null, seen(true, 1000), MIN).next!;
    const firing = transition(pending, seen(true, 1000 + MIN, 9), MIN).next!;
    assert.equal(firing.activeSince, 1000);
    assert.equal(firing.since, 1000 + MIN);
    assert.equal(firing.count, 9);
    const resolved = transition(firing, seen(false, 1000 + 3 * MIN), MIN).next!;
    assert.equal(resolved.activeSince, 1000);
    assert.equal(resolved.since, 1000 + 3 * MIN);
  });
});
