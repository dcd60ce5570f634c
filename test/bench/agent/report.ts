/** The agent benchmark's table: medians per setup, Fluent Bit's figures beside, PASS/FAIL per target. */
import type { RunResult, RunSetup } from './agentRun.ts';

/** Fluent Bit 5.1 on a machine of this class with the same kind of input (from the issue). */
export const FLUENT_BIT = {
  maskedGzip: { linesPerSec: 155_000, cpuPerMillion: 9.6, rssMb: 90 },
  unmasked: { linesPerSec: 417_000 },
};

export const TARGETS = {
  linesPerSec: 300_000,
  cpuPerMillion: FLUENT_BIT.maskedGzip.cpuPerMillion,
  rssMb: 100,
};

export interface SetupSummary {
  setup: RunSetup;
  runs: RunResult[];
  linesPerSec: number;
  mbPerSec: number;
  cpuPerMillion: number;
  peakRssMb: number;
  load: number;
  /** Every run delivered every line exactly once (and, masked, leaked no sampled secret). */
  exact: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(setup: RunSetup, runs: RunResult[], lines: number): SetupSummary {
  return {
    setup,
    runs,
    linesPerSec: median(runs.map((r) => r.linesPerSec)),
    mbPerSec: median(runs.map((r) => r.mbPerSec)),
    cpuPerMillion: median(runs.map((r) => r.cpuPerMillion)),
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
    load: median(runs.map((r) => r.load)),
    exact: runs.every((r) => exactlyOnce(r, lines)),
  };
}

export function exactlyOnce(run: RunResult, lines: number): boolean {
  const c = run.counts;
  return c.distinct === lines && c.lines === lines && c.duplicates === 0 && c.unknown === 0 && c.leaks === 0;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function reference(s: SetupSummary): string {
  if (!s.setup.mask) return `${int(FLUENT_BIT.unmasked.linesPerSec)} lines/s (no masking)`;
  const fb = FLUENT_BIT.maskedGzip;
  return `${int(fb.linesPerSec)} lines/s, ${fb.cpuPerMillion} CPU s/M, ${fb.rssMb} MB (Lua masking + gzip)`;
}

function targets(s: SetupSummary, headline: boolean): string {
  const rss = `RSS < ${TARGETS.rssMb} MB ${verdict(s.peakRssMb < TARGETS.rssMb)}`;
  const exact = `exactly once ${verdict(s.exact)}`;
  if (!headline) return `${rss}; ${exact}`;
  return [
    `≥ ${int(TARGETS.linesPerSec)} lines/s ${verdict(s.linesPerSec >= TARGETS.linesPerSec)}`,
    `CPU ≤ ${TARGETS.cpuPerMillion} s/M ${verdict(s.cpuPerMillion <= TARGETS.cpuPerMillion)}`,
    rss,
    exact,
  ].join('; ');
}

/** Markdown, ready for docs/benchmarks.md. The first summary is the headline (masking and compression on). */
export function table(summaries: readonly SetupSummary[]): string {
  const rows = [
    '| setup | lines/s (median) | lines/s (runs) | MB/s | CPU s per 1M lines | peak RSS MB | load avg | Fluent Bit 5.1 (reference) | targets |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  summaries.forEach((s, i) => {
    rows.push(
      `| ${s.setup.name} | ${int(s.linesPerSec)} | ${s.runs.map((r) => int(r.linesPerSec)).join(' / ')} | ` +
        `${s.mbPerSec.toFixed(1)} | ${s.cpuPerMillion.toFixed(2)} | ${s.peakRssMb.toFixed(0)} | ` +
        `${s.load.toFixed(1)} | ${reference(s)} | ${targets(s, i === 0)} |`,
    );
  });
  return rows.join('\n');
}
