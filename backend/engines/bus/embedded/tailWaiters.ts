/**
 * Readers parked at the end of a partition. The writer wakes them the moment the records they wait for
 * are acknowledged (an in-process callback, not a poll), which keeps produce-to-handler latency in
 * milliseconds.
 */

interface Waiter {
  offset: number;
  wake: () => void;
}

export class TailWaiters {
  private readonly waiters = new Set<Waiter>();

  /** Resolves on wake() once `offset` is below the end, or when the signal aborts. */
  wait(offset: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        offset,
        wake: () => {
          this.waiters.delete(waiter);
          // Removed on every wake: a consumer waits on one signal thousands of times.
          signal.removeEventListener('abort', waiter.wake);
          resolve();
        },
      };
      this.waiters.add(waiter);
      signal.addEventListener('abort', waiter.wake);
    });
  }

  /** Wakes the readers waiting for an offset below `end` (all of them when the log closes). */
  wake(end: number, all = false): void {
    for (const w of this.waiters) if (all || w.offset < end) w.wake();
  }
}
