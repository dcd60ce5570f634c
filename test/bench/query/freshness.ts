/**
 * Freshness: the time from a line appended to a file the real agent tails until `GET /api/v1/search`
 * finds it. Each probe line carries a unique token; the search for it is polled every 50 ms (so results
 * are up to ~50 ms late, plus one request). Probes are spaced by a random 0.2–1.2 s so they do not fall
 * into step with the agent's poll interval or batch timer.
 */
import { appendFile } from 'node:fs/promises';
import type { Pool } from 'undici';
import { load1, sleep } from '../pipeline/processes.ts';
import { AUTH } from './servers.ts';

export interface FreshnessResult {
  latenciesMs: number[];
  missed: number;
  /** Searches that failed while polling (counted as "not found yet"), and the first one's answer. */
  pollErrors: number;
  firstPollError?: string;
  load: { start: number; end: number };
}

const POLL_MS = 50;

/** Whether the search finds `token`; a failed search (5xx) counts as not yet, and is recorded. */
async function found(pool: Pool, token: string, result: FreshnessResult): Promise<boolean> {
  const response = await pool.request({
    method: 'GET',
    path: `/api/v1/search?q=${token}&from=now-15m&limit=1`,
    headers: AUTH,
  });
  const text = await response.body.text();
  if (response.statusCode >= 500) {
    result.pollErrors++;
    result.firstPollError ??= `${response.statusCode} ${text.slice(0, 200)}`;
    return false;
  }
  if (response.statusCode !== 200)
    throw new Error(`search answered ${response.statusCode}: ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { hits: unknown[] }).hits.length > 0;
}

/** Appends one probe line and polls until the search finds it; its latency in ms, or null after `timeoutMs`. */
async function probe(
  pool: Pool,
  file: string,
  token: string,
  timeoutMs: number,
  result: FreshnessResult,
): Promise<number | null> {
  const line = `${JSON.stringify({ ts: new Date().toISOString(), level: 'info', message: `freshness probe ${token}` })}\n`;
  const written = performance.now();
  await appendFile(file, line);
  for (;;) {
    const polled = performance.now();
    if (await found(pool, token, result)) return performance.now() - written;
    if (performance.now() - written > timeoutMs) return null;
    const wait = POLL_MS - (performance.now() - polled);
    if (wait > 0) await sleep(wait);
  }
}

export async function measureFreshness(
  pool: Pool,
  file: string,
  samples: number,
  tag: string,
): Promise<FreshnessResult> {
  const result: FreshnessResult = {
    latenciesMs: [],
    missed: 0,
    pollErrors: 0,
    load: { start: load1(), end: 0 },
  };
  // The first probe also waits for the agent to find the file and the workers to join their groups.
  const warm = await probe(pool, file, `warm${tag}`, 90_000, result);
  if (warm === null) throw new Error('the warm-up probe never became searchable (90 s)');
  result.load.start = load1();
  for (let i = 0; i < samples; i++) {
    await sleep(200 + Math.random() * 1000);
    const ms = await probe(pool, file, `fp${tag}n${i}`, 30_000, result);
    if (ms === null) result.missed++;
    else result.latenciesMs.push(ms);
  }
  result.load.end = load1();
  return result;
}
