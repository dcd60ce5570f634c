import type { Counter } from '../../../core/metrics/registry.ts';

export interface EvaluationLoop {
  start(): void;
  /** A scheduled evaluation: skipped (and counted) while the previous one still runs. */
  tick(): void;
  /** Waits for a running evaluation, then runs one more and resolves with its result. */
  runNow<T>(): Promise<T>;
  /** No new evaluations; resolves once the running one finished. */
  stop(): Promise<void>;
}

/**
 * Runs `evaluate` every `everyMs`, never two at once. When the search store is slow an evaluation
 * can outlast the interval; the ticks that fall inside it are skipped rather than queued, so a slow
 * store sees one evaluation at a time and the loop catches up by itself once it is fast again.
 */
export function createEvaluationLoop(options: {
  everyMs: number;
  evaluate: () => Promise<unknown>;
  skipped: Counter;
}): EvaluationLoop {
  let running: Promise<unknown> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const run = (): Promise<unknown> => {
    const current = options.evaluate().finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };

  const tick = (): void => {
    if (stopped) return;
    if (running !== null) {
      options.skipped.inc();
      return;
    }
    // The evaluator reports its own failures; nothing may escape as an unhandled rejection.
    run().catch(() => undefined);
  };

  return {
    start() {
      if (stopped || timer !== undefined) return;
      timer = setInterval(tick, options.everyMs);
      timer.unref(); // alerting alone must not keep a stopping process alive
      setImmediate(tick);
    },
    tick,
    async runNow<T>() {
      while (running !== null) await running.catch(() => undefined);
      return (await run()) as T;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running !== null) await running.catch(() => undefined);
    },
  };
}
