/**
 * A fixed-rate open-loop driver: request i is sent at start + i / rate whatever happened to the earlier
 * ones, and its latency is counted from that scheduled time, so a slow server shows up as latency (and a
 * late driver too) instead of quietly lowering the rate (coordinated omission).
 */
import { Pool } from 'undici';
import { sleep } from '../pipeline/processes.ts';

export interface Sample {
  kind: string;
  label: string;
  latencyMs: number;
  status: number;
  /** Why a request counted as failed (non-2xx, a wrong answer, a client error). */
  error?: string;
}

export interface Outgoing {
  kind: string;
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Checks the answer; returns a problem or null. */
  check?: (status: number, text: string) => string | null;
}

export interface LoopResult {
  samples: Sample[];
  seconds: number;
  /** Worst delay between a scheduled send and the actual one (the driver's own lateness). */
  maxSendLagMs: number;
}

export function openPool(url: string): Pool {
  return new Pool(url, {
    connections: 64,
    keepAliveTimeout: 30_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
}

/**
 * A request unanswered this long after its scheduled time is abandoned and counted as failed (the API's
 * own query timeout is 10 s): an overloaded server then shows up as failures instead of a backlog that
 * takes minutes to drain and spills into the next measurement.
 */
export const GIVE_UP_MS = 15_000;

/** Sends `count` requests at `rate` per second; `request(i, elapsedMs)` builds the i-th. */
export async function openLoop(
  pool: Pool,
  rate: number,
  seconds: number,
  request: (i: number, elapsedMs: number) => Outgoing,
): Promise<LoopResult> {
  const count = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const samples: Sample[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now() + 20;
  let maxSendLagMs = 0;
  for (let i = 0; i < count; i++) {
    const scheduled = start + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - scheduled);
    const out = request(i, scheduled - start);
    inFlight.push(
      (async () => {
        let status = 0;
        let error: string | undefined;
        try {
          const response = await pool.request({
            method: out.method,
            path: out.path,
            headers: out.headers,
            body: out.body,
            signal: AbortSignal.timeout(
              Math.max(1, Math.round(GIVE_UP_MS - (performance.now() - scheduled))),
            ),
          });
          status = response.statusCode;
          const text = await response.body.text();
          if (status < 200 || status > 299) error = `${status} ${text.slice(0, 200)}`;
          else error = out.check?.(status, text) ?? undefined;
        } catch (e) {
          error =
            (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError'
              ? 'gave up after 15 s'
              : (e as Error).message;
        }
        samples.push({
          kind: out.kind,
          label: out.label,
          latencyMs: performance.now() - scheduled,
          status,
          ...(error === undefined ? {} : { error }),
        });
      })(),
    );
  }
  await Promise.all(inFlight);
  return { samples, seconds: (performance.now() - start) / 1000, maxSendLagMs };
}

/** Nearest-rank percentile of `values` (need not be sorted). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
