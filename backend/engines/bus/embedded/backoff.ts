/** Retry pacing for a failing handler: exponential with jitter, capped, and cut short by stop(). */
import { setTimeout as delay } from 'node:timers/promises';

const BASE_MS = 100;
const MAX_MS = 10_000;

/** Delay before retry number `attempt` (0-based): 100 ms doubling to 10 s, each scaled by 0.5–1. */
export function retryDelayMs(attempt: number): number {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** Math.min(attempt, 20));
  return ceiling * (0.5 + Math.random() / 2);
}

/** Sleeps `ms`, resolving early (not rejecting) when the signal aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (err) {
    // Aborting is how stop() interrupts a backoff; the caller checks signal.aborted afterwards.
    if ((err as Error).name !== 'AbortError') throw err;
  }
}
