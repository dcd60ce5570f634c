/**
 * The one polling loop of the tests: engines and processes differ in how fast they get somewhere (an
 * in-process log in milliseconds, Kafka after a group join in seconds), so tests wait for conditions,
 * never for a fixed time, and fail naming what they waited for.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** Generous on purpose (default 60 s): it only bounds how long a failing test hangs. */
  timeoutMs?: number;
  /** Between two probes; default 10 ms. */
  intervalMs?: number;
  /** Errors thrown by the probe count as "not yet" (a process still starting, an engine briefly away) instead of failing at once; the last one is reported. */
  retryOnError?: boolean;
  /** More to say when it times out, such as a process's log tail. */
  context?: () => string;
}

type Found<T> = Exclude<T, false | null | undefined>;

/**
 * Probes until `probe` returns something other than false, null or undefined, and returns that; throws
 * naming `what` (and the last probe error, and `context()`) when `timeoutMs` passes first.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  { timeoutMs = 60_000, intervalMs = 10, retryOnError = false, context }: WaitOptions = {},
): Promise<Found<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== false && value !== null && value !== undefined) return value as Found<T>;
    } catch (error) {
      if (!retryOnError) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const more = context?.() ?? '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${more ? `\n${more}` : ''}`);
    }
    await delay(intervalMs);
  }
}

/** A Sluice child process as the start-up wait sees it. */
export interface StartingProcess {
  /** Where it listens, once it said so (undefined before). */
  url(): string | undefined;
  /** Undefined while it runs. */
  exitCode(): number | null | undefined;
  logTail(): string;
}

/**
 * Waits until `<url><path>` (`/healthz`, or `/readyz` for a process that must also reach its stores)
 * answers 200 and returns the URL; fails at once, with the log, if the process exits first.
 */
export function waitHealthy(
  name: string,
  proc: StartingProcess,
  timeoutMs = 60_000,
  path = '/healthz',
): Promise<string> {
  return waitFor(
    `${name} to answer ${path}`,
    async () => {
      const code = proc.exitCode();
      if (code !== undefined) throw new Error(`${name} exited (${code}) during start-up:\n${proc.logTail()}`);
      const url = proc.url();
      if (url === undefined) return undefined;
      const healthy = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(2000) })
        .then(async (res) => {
          await res.arrayBuffer();
          return res.status === 200;
        })
        .catch(() => false); // not answering yet, or not within the 2 s (its body included)
      return healthy ? url : undefined;
    },
    { timeoutMs, intervalMs: 100, context: () => proc.logTail() },
  );
}
