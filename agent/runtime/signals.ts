/** The signals that ask the agent to stop: SIGTERM (systemd, Kubernetes), SIGINT (Ctrl-C). */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Stop signals closer than this to the first are the same request arriving twice: a terminal's Ctrl-C
 * reaches every process of its group, and the parent (npm, bin/launch.mjs, the standalone runner that
 * started the demo agent) passes on its own copy, all within milliseconds.
 */
export const SAME_REQUEST_MS = 1000;

/**
 * Calls `onStop` once, at the first stop signal; a later one calls `onForce` (an operator who presses
 * Ctrl-C twice means it), unless it came within SAME_REQUEST_MS of the first. Returns a function that
 * removes the handlers.
 */
export function onStopSignals(
  onStop: (signal: StopSignal) => void,
  onForce: (signal: StopSignal) => void,
  now: () => number = Date.now,
): () => void {
  let firstAt: number | undefined;
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      if (firstAt === undefined) {
        firstAt = now();
        onStop(signal);
      } else if (now() - firstAt >= SAME_REQUEST_MS) onForce(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
