/**
 * Polling helpers for tests against any bus: engines differ in how fast they deliver (an in-process log
 * in milliseconds, Kafka after a group join in seconds), so tests wait for conditions, never for time.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** Generous on purpose: it only bounds how long a failing test hangs. */
  timeoutMs?: number;
  intervalMs?: number;
}

/** Resolves once `condition` returns true; rejects naming `what` when the timeout passes first. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 60_000, intervalMs = 10 }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

/** A promise with its resolve exposed, for holding a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
