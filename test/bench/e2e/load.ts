/**
 * The senders of bench:e2e: an open loop posting gzip NDJSON batches at a fixed rate of events per second,
 * with a bound on requests in flight (a batch due while the bound is reached is counted as missed, not
 * queued, so a slow gateway shows as a shortfall instead of a growing queue in the benchmark). Bodies are
 * built once before the run from realistic events without id or time: the gateway mints ids (every event
 * stays unique) and the observed time stands in for the event time.
 */
import { gzipSync } from 'node:zlib';
import { realisticEvents } from '../../../backend/sinks/archive/testing/realisticEvents.ts';

export interface Body {
  gzip: Buffer;
  events: number;
}

export function buildBodies(count: number, eventsPerBody: number): Body[] {
  const bodies: Body[] = [];
  for (let b = 0; b < count; b++) {
    const lines = realisticEvents({ count: eventsPerBody, seed: 1000 + b }).map((event) => {
      const { id: _id, ts: _ts, observed_ts: _observed, tenant: _tenant, ...rest } = event;
      return JSON.stringify(rest);
    });
    bodies.push({ gzip: gzipSync(`${lines.join('\n')}\n`), events: eventsPerBody });
  }
  return bodies;
}

export interface SendResult {
  /** Events in batches answered 202. */
  accepted: number;
  /** Batches not sent because `inFlight` requests were still open when they were due. */
  missed: number;
  /** Requests answered with anything but 202, or failed. */
  failed: number;
  /** Request durations, ms. */
  durations: number[];
}

/** Posts `bodies` in turn at `rate` events/s for `seconds`; resolves when the last request has answered. */
export async function sendAtRate(options: {
  url: string;
  bodies: readonly Body[];
  rate: number;
  seconds: number;
  inFlight: number;
  headers?: Record<string, string>;
}): Promise<SendResult> {
  const { bodies, rate, seconds } = options;
  const result: SendResult = { accepted: 0, missed: 0, failed: 0, durations: [] };
  const perBatchMs = (bodies[0].events / rate) * 1000;
  const started = performance.now();
  const open = new Set<Promise<void>>();
  let next = 0;
  for (let due = started; due < started + seconds * 1000; due += perBatchMs) {
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (open.size >= options.inFlight) {
      result.missed++;
      continue;
    }
    const body = bodies[next++ % bodies.length];
    const sent = performance.now();
    const request = fetch(`${options.url}/api/v1/ingest`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-ndjson',
        'content-encoding': 'gzip',
        ...options.headers,
      },
      body: body.gzip,
      signal: AbortSignal.timeout(30_000),
    })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status === 202) result.accepted += body.events;
        else result.failed++;
      })
      .catch(() => {
        result.failed++;
      })
      .finally(() => {
        result.durations.push(performance.now() - sent);
        open.delete(request);
      });
    open.add(request);
  }
  await Promise.all(open);
  return result;
}

/** Posts `events` events (whole bodies, in turn) as fast as `inFlight` open requests allow. */
export async function sendCount(options: {
  url: string;
  bodies: readonly Body[];
  events: number;
  inFlight: number;
}): Promise<SendResult> {
  const result: SendResult = { accepted: 0, missed: 0, failed: 0, durations: [] };
  const batches = Math.ceil(options.events / options.bodies[0].events);
  let next = 0;
  const worker = async () => {
    while (next < batches) {
      const body = options.bodies[next++ % options.bodies.length];
      const sent = performance.now();
      try {
        const res = await fetch(`${options.url}/api/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
          body: body.gzip,
          signal: AbortSignal.timeout(60_000),
        });
        await res.arrayBuffer();
        if (res.status === 202) result.accepted += body.events;
        else result.failed++;
      } catch {
        result.failed++;
      }
      result.durations.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, worker));
  return result;
}

/** The value at quantile q (0–1) of `values`, NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
