/** Formatting of the gateway benchmark's results: one Markdown table, ready for docs/benchmarks.md. */
import type { PhaseResult } from './load.ts';
import { percentile } from './load.ts';

export interface CpuShare {
  /** CPU cores used on average during the phase (user+system seconds / wall seconds). */
  gateway: number;
  broker: number | null;
  bench: number;
}

export interface PhaseSummary {
  name: string;
  concurrency: string;
  seconds: number;
  requests: number;
  failed: number;
  eventsPerSec: number;
  rawMBps: number;
  wireMBps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpu: CpuShare;
  load: { start: number; end: number };
}

export function summarize(
  result: PhaseResult,
  concurrency: string,
  cpu: CpuShare,
  seconds?: number,
): PhaseSummary {
  const s = seconds ?? result.seconds;
  const l = result.latencies;
  return {
    name: result.name,
    concurrency,
    seconds: s,
    requests: result.requests,
    failed: result.failed,
    eventsPerSec: result.accepted / s,
    rawMBps: result.rawBytes / s / 1e6,
    wireMBps: result.wireBytes / s / 1e6,
    p50: percentile(l, 50),
    p95: percentile(l, 95),
    p99: percentile(l, 99),
    max: l.length === 0 ? Number.NaN : l[l.length - 1],
    cpu,
    load: result.load,
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(1) : n.toFixed(0));

/** The gateway's CPU µs per acknowledged event: what the code costs, whatever else the machine runs. */
export function cpuPerEvent(p: PhaseSummary): number {
  return p.eventsPerSec === 0 ? Number.NaN : (p.cpu.gateway * 1e6) / p.eventsPerSec;
}

export function phaseTable(phases: PhaseSummary[]): string {
  const rows = [
    '| phase | in flight / rate | events/s | MB/s NDJSON | MB/s wire | p50 ms | p95 ms | p99 ms | max ms | failed | cores gateway / broker / bench | gateway µs CPU/event | load 1m |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ];
  for (const p of phases) {
    rows.push(
      `| ${p.name} | ${p.concurrency} | ${int(p.eventsPerSec)} | ${p.rawMBps.toFixed(1)} | ${p.wireMBps.toFixed(1)} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} | ${ms(p.max)} | ${p.failed} | ${p.cpu.gateway.toFixed(2)} / ${p.cpu.broker === null ? '-' : p.cpu.broker.toFixed(2)} / ${p.cpu.bench.toFixed(2)} | ${cpuPerEvent(p).toFixed(1)} | ${p.load.start.toFixed(2)}→${p.load.end.toFixed(2)} |`,
    );
  }
  return rows.join('\n');
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  pass: boolean | null;
}

export function targetTable(targets: Target[]): string {
  const rows = ['| target | wanted | measured | result |', '| --- | --- | --- | --- |'];
  for (const t of targets) {
    rows.push(
      `| ${t.what} | ${t.target} | ${t.measured} | ${t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL'} |`,
    );
  }
  return rows.join('\n');
}

export { int, ms };
