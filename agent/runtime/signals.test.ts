import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onStopSignals, SAME_REQUEST_MS, type StopSignal } from './signals.ts';

/** Delivers signals to the handlers as the process would (emit, not kill: no real signal is sent). */
function watch(clock: { now: number }) {
  const calls: string[] = [];
  const off = onStopSignals(
    (signal) => calls.push(`stop ${signal}`),
    (signal) => calls.push(`force ${signal}`),
    () => clock.now,
  );
  const send = (signal: StopSignal, at: number) => {
    clock.now = at;
    process.emit(signal);
  };
  return { calls, off, send };
}

describe('stop signals', () => {
  it('counts the copies of one Ctrl-C (terminal, npm, launcher, parent) as one stop', () => {
    const clock = { now: 0 };
    const { calls, off, send } = watch(clock);
    try {
      send('SIGINT', 1000); // the terminal, to the whole process group
      send('SIGINT', 1002); // npm passes its copy on
      send('SIGTERM', 1005); // the parent stops its child
      assert.deepEqual(calls, ['stop SIGINT']);
    } finally {
      off();
    }
  });

  it('forces the exit on a second Ctrl-C pressed later', () => {
    const clock = { now: 0 };
    const { calls, off, send } = watch(clock);
    try {
      send('SIGINT', 1000);
      send('SIGINT', 1000 + SAME_REQUEST_MS);
      assert.deepEqual(calls, ['stop SIGINT', 'force SIGINT']);
    } finally {
      off();
    }
  });
});
