/** The signals that ask the agent to stop: SIGTERM (systemd, Kubernetes), SIGINT (Ctrl-C). */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Calls `onStop` once, at the first stop signal; a second signal calls `onForce` (an operator who
 * presses Ctrl-C twice means it). Returns a function that removes the handlers.
 */
export function onStopSignals(
  onStop: (signal: StopSignal) => void,
  onForce: (signal: StopSignal) => void,
): () => void {
  let received = false;
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      if (received) onForce(signal);
      else {
        received = true;
        onStop(signal);
      }
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
