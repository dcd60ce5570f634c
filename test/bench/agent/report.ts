/** The agent benchmark's tables: medians per setup beside Fluent Bit's, and the targets of issue 12. */
import type { RunResult, RunSetup } from './agentRun.ts';

export const TARGETS = {
  linesPerSec: 300_000,
  /** CPU seconds per 1M lines, masking on. */
  cpuPerMillionMasked: 4.8,
  peakRssMb: 128,
  idleRssMb: 96,
};

export interface SetupSummary {
  setup: RunSetup;
  runs: RunResult[];
  linesPerSec: number;
  cpuPerMillion: number;
  peakRssMb: number;
  idleRssMb: number;
  bytesPerLine: number;
  load: number;
  /** Every run delivered every line exactly once (and, masked, leaked no sampled secret). */
  exact: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(setup: RunSetup, runs: RunResult[], lines: number): SetupSummary {
  return {
    setup,
    runs,
    linesPerSec: median(runs.map((r) => r.linesPerSec)),
    cpuPerMillion: median(runs.map((r) => r.cpuPerMillion)),
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
    idleRssMb: median(runs.map((r) => r.idleRssMb)),
    bytesPerLine: median(runs.map((r) => r.counts.wireBytes / lines)),
    load: median(runs.map((r) => r.load)),
    exact: runs.every((r) => exactlyOnce(r, lines)),
  };
}

export function exactlyOnce(run: RunResult, lines: number): boolean {
  const c = run.counts;
  return c.distinct === lines && c.lines === lines && c.duplicates === 0 && c.unknown === 0 && c.leaks === 0;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** Markdown, ready for docs/benchmarks.md. */
export function table(summaries: readonly SetupSummary[]): string {
  const rows = [
    '| setup | lines/s (median; runs) | CPU s per 1M lines | peak RSS MB | RSS 5 s after, MB | bytes sent per line | load avg | every line once |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of summaries) {
    const fb = s.setup.fbConfig !== undefined;
    rows.push(
      `| ${s.setup.name} | ${int(s.linesPerSec)}; ${s.runs.map((r) => int(r.linesPerSec)).join(' / ')} | ` +
        `${s.cpuPerMillion.toFixed(2)} (${s.runs.map((r) => r.cpuPerMillion.toFixed(2)).join(' / ')}) | ` +
        `${s.peakRssMb.toFixed(0)} | ${fb ? '-' : s.idleRssMb.toFixed(0)} | ${s.bytesPerLine.toFixed(1)} | ` +
        `${s.runs.map((r) => r.load.toFixed(1)).join(' / ')} | ${s.exact ? 'yes' : fb ? 'lines yes, its masking misses corpus secrets' : 'NO'} |`,
    );
  }
  return rows.join('\n');
}

/** The targets of issue 12, each with its figure, the reference measured in the same run and the load. */
export function targets(summaries: readonly SetupSummary[], idle: ReadonlyArray<[string, number]>): string {
  const by = (id: string) => summaries.find((s) => s.setup.id === id);
  const head = by('headline');
  const fbMask = by('fbmask');
  const fbPlain = by('fbplain');
  const plain = by('plain');
  const out: string[] = ['Targets (medians; load average of the runs in brackets):'];
  const load = (s: SetupSummary) => `[load ${s.load.toFixed(1)}]`;
  if (head !== undefined) {
    out.push(
      `- ≥ ${int(TARGETS.linesPerSec)} lines/s with masking + compression: ${int(head.linesPerSec)} ${load(head)} — ${verdict(head.linesPerSec >= TARGETS.linesPerSec)}` +
        (fbMask === undefined
          ? ''
          : ` (Fluent Bit ${int(fbMask.linesPerSec)}, ×${(head.linesPerSec / fbMask.linesPerSec).toFixed(2)})`),
      `- ≤ ${TARGETS.cpuPerMillionMasked} CPU s per 1M lines with masking: ${head.cpuPerMillion.toFixed(2)} ${load(head)} — ${verdict(head.cpuPerMillion <= TARGETS.cpuPerMillionMasked)}` +
        (fbMask === undefined
          ? ''
          : ` (Fluent Bit ${fbMask.cpuPerMillion.toFixed(2)}, ratio ${(head.cpuPerMillion / fbMask.cpuPerMillion).toFixed(2)})`),
    );
  }
  if (plain !== undefined) {
    out.push(
      fbPlain === undefined
        ? `- without masking ≤ Fluent Bit's CPU per line: ${plain.cpuPerMillion.toFixed(2)} ${load(plain)} — no Fluent Bit run to compare`
        : `- without masking ≤ Fluent Bit's CPU per line: ${plain.cpuPerMillion.toFixed(2)} vs ${fbPlain.cpuPerMillion.toFixed(2)} ${load(plain)} — ${verdict(plain.cpuPerMillion <= fbPlain.cpuPerMillion)}`,
    );
  }
  for (const s of summaries.filter((x) => x.setup.fbConfig === undefined && x.setup.mask)) {
    out.push(
      `- peak RSS ≤ ${TARGETS.peakRssMb} MB, ${s.setup.name}: ${s.peakRssMb.toFixed(0)} ${load(s)} — ${verdict(s.peakRssMb <= TARGETS.peakRssMb)}`,
    );
  }
  for (const [what, mb] of idle)
    out.push(
      `- idle RSS ≤ ${TARGETS.idleRssMb} MB, ${what}: ${mb.toFixed(0)} — ${verdict(mb <= TARGETS.idleRssMb)}`,
    );
  if (fbMask !== undefined) {
    for (const s of summaries.filter(
      (x) => x.setup.fbConfig === undefined && x.setup.compression !== 'none',
    )) {
      out.push(
        `- bytes sent per line ≤ Fluent Bit's (${fbMask.bytesPerLine.toFixed(1)}), ${s.setup.name}: ${s.bytesPerLine.toFixed(1)} — ${verdict(s.bytesPerLine <= fbMask.bytesPerLine)}`,
      );
    }
  }
  const sluice = summaries.filter((s) => s.setup.fbConfig === undefined);
  out.push(`- every line exactly once, no sampled secret leaked: ${verdict(sluice.every((s) => s.exact))}`);
  return out.join('\n');
}
