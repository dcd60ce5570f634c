/**
 * Load for the gateway benchmark over undici keep-alive connections: a closed loop (N requests always
 * in flight) and an open loop (a fixed send schedule; latency counted from the scheduled send time, so
 * a slow answer cannot hide the requests that would have queued behind it: no coordinated omission).
 */
import { loadavg } from 'node:os';
import { Pool } from 'undici';
import type { Body } from './bodies.ts';

export interface PhaseResult {
  name: string;
  seconds: number;
  requests: number;
  /** Requests answered 202. */
  ok: number;
  failed: number;
  /** Failure reasons and how often each happened. */
  failures: Record<string, number>;
  /** Events the gateway acknowledged (sum of `accepted`). */
  accepted: number;
  rejected: number;
  rawBytes: number;
  wireBytes: number;
  /** Request latencies in ms (answered requests only), sorted ascending. */
  latencies: Float64Array;
  /** Worst latency (ms) of the requests started in each second of the phase: shows stalls. */
  worstBySecond: number[];
  load: { start: number; end: number };
  /** Open loop only: how late, at worst, the generator itself was in sending (ms). */
  maxSendLagMs?: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function openPool(url: string, connections: number): Pool {
  return new Pool(url, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
}

class Recorder {
  requests = 0;
  ok = 0;
  failed = 0;
  accepted = 0;
  rejected = 0;
  rawBytes = 0;
  wireBytes = 0;
  failures: Record<string, number> = {};
  latencies: number[] = [];
  worstBySecond: number[] = [];
  origin = performance.now();

  fail(reason: string): void {
    this.failed++;
    this.failures[reason] = (this.failures[reason] ?? 0) + 1;
  }

  result(name: string, seconds: number, load: { start: number; end: number }): PhaseResult {
    const latencies = Float64Array.from(this.latencies).sort();
    return {
      name,
      seconds,
      requests: this.requests,
      ok: this.ok,
      failed: this.failed,
      failures: this.failures,
      accepted: this.accepted,
      rejected: this.rejected,
      rawBytes: this.rawBytes,
      wireBytes: this.wireBytes,
      latencies,
      worstBySecond: Array.from(this.worstBySecond, (v) => v ?? 0),
      load,
    };
  }
}

/** What one request came to: the events the gateway acknowledged, or why it failed. */
export type Sent = { ok: true; accepted: number; rejected: number } | { ok: false; reason: string };

/** The size of a body on the wire and decoded, whatever its protocol. */
export interface Sized {
  rawBytes: number;
  wireBytes: number;
}

/** Sends one body to one target (an undici pool, a gRPC client) in some protocol. */
export type Send<T, B extends Sized> = (target: T, body: B) => Promise<Sent>;

/** The native route: gzip NDJSON on /api/v1/ingest, answered 202 with the counts. */
export const postNdjson: Send<Pool, Body> = async (pool, body) => {
  const res = await pool.request({
    path: '/api/v1/ingest',
    method: 'POST',
    headers: {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      'content-length': String(body.gzip.byteLength),
    },
    body: body.gzip,
  });
  const text = await res.body.text();
  if (res.statusCode !== 202) return { ok: false, reason: `HTTP ${res.statusCode} ${text.slice(0, 120)}` };
  const answer = JSON.parse(text) as { accepted: number; rejected: number };
  return { ok: true, accepted: answer.accepted, rejected: answer.rejected };
};

/** Sends one body; records the outcome with latency measured from `startedAt` (performance.now()). */
async function send<T, B extends Sized>(
  sender: Send<T, B>,
  target: T,
  body: B,
  startedAt: number,
  rec: Recorder,
): Promise<void> {
  rec.requests++;
  try {
    const sent = await sender(target, body);
    const elapsed = performance.now() - startedAt;
    if (!sent.ok) {
      rec.fail(sent.reason);
      return;
    }
    rec.ok++;
    rec.accepted += sent.accepted;
    rec.rejected += sent.rejected;
    rec.rawBytes += body.rawBytes;
    rec.wireBytes += body.wireBytes;
    rec.latencies.push(elapsed);
    const second = Math.max(0, Math.floor((startedAt - rec.origin) / 1000));
    rec.worstBySecond[second] = Math.max(rec.worstBySecond[second] ?? 0, elapsed);
  } catch (error) {
    rec.fail((error as Error).message);
  }
}

/** N requests in flight at all times for `seconds`; every request that was started is awaited. */
export async function closedLoop<T = Pool, B extends Sized = Body>(
  name: string,
  pools: T[],
  bodies: B[],
  concurrency: number,
  seconds: number,
  sender: Send<T, B> = postNdjson as unknown as Send<T, B>,
): Promise<PhaseResult> {
  const rec = new Recorder();
  const load = { start: loadavg()[0], end: 0 };
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  let next = 0;
  // With several gateways, in-flight requests are spread evenly over them (one pool each).
  const worker = async (pool: T) => {
    while (performance.now() < stopAt) {
      const body = bodies[next++ % bodies.length];
      await send(sender, pool, body, performance.now(), rec);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(pools[w % pools.length])));
  const elapsed = (performance.now() - started) / 1000;
  load.end = loadavg()[0];
  return rec.result(name, elapsed, load);
}

/**
 * Requests at a fixed `rate` a second for `seconds`, each scheduled at start + i/rate regardless of
 * earlier answers; latency runs from the scheduled time. The pool should have spare connections so
 * the client's own queue is not what is measured (it still counts if the gateway falls behind).
 */
export async function openLoop(
  name: string,
  pools: Pool[],
  bodies: Body[],
  rate: number,
  seconds: number,
): Promise<PhaseResult> {
  const rec = new Recorder();
  const load = { start: loadavg()[0], end: 0 };
  const interval = 1000 / rate;
  const total = Math.floor(rate * seconds);
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let maxSendLagMs = 0;
  for (let i = 0; i < total; i++) {
    const scheduled = started + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - scheduled);
    const p = send(postNdjson, pools[i % pools.length], bodies[i % bodies.length], scheduled, rec);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  load.end = loadavg()[0];
  return { ...rec.result(name, elapsed, load), maxSendLagMs };
}
