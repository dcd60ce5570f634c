/** The query benchmark's tables: latency per kind (API and reference), per kind and range, freshness, targets. */
import { int, loadLine, table, verdict } from '../pipeline/report.ts';
import type { FreshnessResult } from './freshness.ts';
import { KINDS } from './mix.ts';
import { percentile, type Sample } from './openLoop.ts';

export interface PhaseStats {
  samples: Sample[];
  /** CPU seconds of the measured process, and of OpenSearch (all its users), over the rounds. */
  cpuSeconds: number;
  openSearchCpuSeconds: number;
  /** Cores the measured process used, per round. */
  cores: number[];
  openSearchCores: number[];
  loads: number[];
  maxSendLagMs: number;
  /** Seconds from the first scheduled send to the last answer, summed over rounds: queries / this is
   * what the server actually completed per second (below the offered rate when it is overloaded). */
  drainSeconds: number;
}

export interface ReportInput {
  machine: string;
  rate: number;
  lowRate: number;
  /** Seconds per side at the main rate (all rounds), and of the low-rate round. */
  seconds: number;
  lowSeconds: number;
  osEvents: number;
  sqliteEvents: number;
  distributed: Record<'api' | 'direct' | 'lowApi' | 'lowDirect', PhaseStats> | null;
  standalone: { main: PhaseStats; low: PhaseStats } | null;
  freshness: Array<{ mode: string; maxWait: string; result: FreshnessResult }>;
  failures: string[];
}

const SEARCH_KINDS = ['term', 'phrase', 'field_level'];
const TARGET_SEARCH_P95 = 100;
const TARGET_TRACE_P95 = 50;
const TARGET_OVERHEAD_P95 = 10;
const TARGET_FRESH = { distributed: 2000, standalone: 1000 } as Record<string, number>;

const ms = (n: number) =>
  Number.isNaN(n) ? '-' : n === Number.POSITIVE_INFINITY ? 'failed' : n < 10 ? n.toFixed(1) : n.toFixed(0);
/** Latencies of the requests `pick` selects; a failed request (error, timeout) counts as infinitely slow. */
const ok = (samples: Sample[], pick: (s: Sample) => boolean) =>
  samples.filter(pick).map((s) => (s.error === undefined ? s.latencyMs : Number.POSITIVE_INFINITY));
const diff = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) ? ms(a - b) : '-');
const errors = (samples: Sample[], pick: (s: Sample) => boolean) =>
  samples.filter((s) => s.error !== undefined && pick(s)).length;
const p = (values: number[], q: number) => percentile(values, q);
const triple = (values: number[]) => `${ms(p(values, 50))} / ${ms(p(values, 95))} / ${ms(p(values, 99))}`;
const avg = (values: number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
const range = (values: number[]) =>
  values.length === 0 ? '-' : `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;

const completed = (stats: PhaseStats) =>
  stats.drainSeconds === 0 ? '-' : (stats.samples.length / stats.drainSeconds).toFixed(1);
const cpuPer = (seconds: number, samples: Sample[]) =>
  samples.length === 0 ? '-' : ((1000 * seconds) / samples.length).toFixed(1);

function byKind(k: string) {
  return (s: Sample) => (k === 'search' ? SEARCH_KINDS.includes(s.kind) : s.kind === k);
}

export function renderReport(r: ReportInput): string {
  const out: string[] = [
    '',
    `## bench:query ${new Date().toISOString()}`,
    `machine: ${r.machine}; load now ${loadLine()}`,
  ];
  const targets: string[][] = [];
  if (r.distributed !== null) {
    const { api, direct } = r.distributed;
    out.push(
      '',
      `### OpenSearch (${int(r.osEvents)} events), query role, ${r.rate} queries/s open loop, ${r.seconds} s per side; ms`,
      '',
    );
    const rows = [...KINDS, 'search'].map((k) => {
      const a = ok(api.samples, byKind(k));
      const d = ok(direct.samples, byKind(k));
      return [
        k === 'search' ? '**search (term+phrase+field)**' : k,
        int(a.length),
        triple(a),
        triple(d),
        k === 'histogram' ? `(${diff(p(a, 95), p(d, 95))}, other store)` : diff(p(a, 95), p(d, 95)),
        `${errors(api.samples, byKind(k))} / ${errors(direct.samples, byKind(k))}`,
      ];
    });
    out.push(
      table(
        [
          'kind',
          'n',
          'API p50 / p95 / p99',
          'direct OpenSearch p50 / p95 / p99',
          'API − direct at p95',
          'errors API / direct',
        ],
        rows,
      ),
      '',
      `cores used: query process ${avg(api.cores).toFixed(2)}; OpenSearch ${avg(api.openSearchCores).toFixed(2)} (API side) / ${avg(direct.openSearchCores).toFixed(2)} (direct side). completed ${completed(api)} (API) / ${completed(direct)} (direct) queries/s of ${r.rate} offered. CPU per query: query process ${cpuPer(api.cpuSeconds, api.samples)} ms, OpenSearch ${cpuPer(api.openSearchCpuSeconds, api.samples)} (API side) / ${cpuPer(direct.openSearchCpuSeconds, direct.samples)} ms (direct side). Load avg ${range(api.loads.concat(direct.loads))}; worst send lag ${ms(Math.max(api.maxSendLagMs, direct.maxSendLagMs))} ms`,
      '',
      table(
        [
          'kind and range',
          `API p50 / p95 at ${r.lowRate}/s`,
          `direct at ${r.lowRate}/s`,
          `API at ${r.rate}/s`,
          `direct at ${r.rate}/s`,
        ],
        labelRows([
          r.distributed.lowApi.samples,
          r.distributed.lowDirect.samples,
          api.samples,
          direct.samples,
        ]),
      ),
    );
    targets.push(...latencyTargets('OpenSearch', api, r.distributed.lowApi, r));
    // Overhead where neither side queues: at the full rate both are overloaded, and the API side sends
    // OpenSearch less work (its histogram is served by PostgreSQL), so a difference there means nothing.
    for (const k of ['search', 'trace']) {
      const a = p(ok(r.distributed.lowApi.samples, byKind(k)), 95);
      const d = p(ok(r.distributed.lowDirect.samples, byKind(k)), 95);
      targets.push([
        `API overhead at p95 (${k}), at ${r.lowRate}/s`,
        `≤ ${TARGET_OVERHEAD_P95} ms`,
        `${diff(a, d)} ms (${ms(a)} vs ${ms(d)})`,
        verdict(Number.isFinite(a - d) ? a - d <= TARGET_OVERHEAD_P95 : null),
      ]);
    }
  }
  if (r.standalone !== null) {
    const s = r.standalone.main;
    out.push(
      '',
      `### SQLite (${int(r.sqliteEvents)} events), query role on the standalone stores, ${r.rate} queries/s open loop, ${r.seconds} s; ms`,
      '',
      table(
        ['kind', 'n', 'p50 / p95 / p99', 'errors'],
        [...KINDS, 'search'].map((k) => [
          k === 'search' ? '**search (term+phrase+field)**' : k,
          int(ok(s.samples, byKind(k)).length),
          triple(ok(s.samples, byKind(k))),
          String(errors(s.samples, byKind(k))),
        ]),
      ),
      '',
      `completed ${completed(s)} queries/s of ${r.rate} offered; cores used: query process ${avg(s.cores).toFixed(2)}, CPU per query ${cpuPer(s.cpuSeconds, s.samples)} ms; load avg ${range(s.loads)}; worst send lag ${ms(s.maxSendLagMs)} ms`,
      '',
      table(
        ['kind and range', `p50 / p95 at ${r.lowRate}/s`, `at ${r.rate}/s`],
        labelRows([r.standalone.low.samples, s.samples]),
      ),
    );
    targets.push(...latencyTargets('SQLite', s, r.standalone.low, r));
  }
  if (r.lowRate > 0 && (r.distributed !== null || r.standalone !== null)) {
    const cell = (stats: PhaseStats | undefined, k: string) => {
      if (stats === undefined) return '-';
      const v = ok(stats.samples, byKind(k));
      return `${ms(p(v, 50))} / ${ms(p(v, 95))}`;
    };
    out.push(
      '',
      `### At ${r.lowRate} queries/s (little queueing), ${r.lowSeconds} s each; p50 / p95 ms`,
      '',
      table(
        ['kind', 'OpenSearch via API', 'OpenSearch direct', 'SQLite via API'],
        [...KINDS, 'search'].map((k) => [
          k,
          cell(r.distributed?.lowApi, k),
          cell(r.distributed?.lowDirect, k),
          cell(r.standalone?.low, k),
        ]),
      ),
    );
  }
  if (r.freshness.length > 0) {
    out.push(
      '',
      '### Freshness: line appended to a tailed file → found by `GET /api/v1/search` (polled every 50 ms); ms',
      '',
      table(
        [
          'mode',
          'agent batch.max_wait',
          'probes',
          'p50',
          'p95',
          'max',
          'missed',
          'search errors while polling',
          'load avg',
        ],
        r.freshness.map(({ mode, maxWait, result }) => [
          mode,
          maxWait,
          String(result.latenciesMs.length),
          ms(p(result.latenciesMs, 50)),
          ms(p(result.latenciesMs, 95)),
          ms(Math.max(...result.latenciesMs)),
          String(result.missed),
          String(result.pollErrors),
          `${result.load.start.toFixed(1)}–${result.load.end.toFixed(1)}`,
        ]),
      ),
    );
    for (const { mode, maxWait, result } of r.freshness) {
      const p95 = p(result.latenciesMs, 95);
      targets.push([
        `freshness p95, ${mode}, agent max_wait ${maxWait}`,
        `≤ ${TARGET_FRESH[mode] / 1000} s`,
        `${ms(p95)} ms`,
        verdict(result.missed === 0 && p95 <= TARGET_FRESH[mode]),
      ]);
    }
  }
  out.push('', table(['target', 'goal', 'measured', 'result'], targets), '');
  if (r.failures.length > 0) out.push('failed phases:', ...r.failures.map((f) => `- ${f}`), '');
  out.push(
    'Failed requests (errors, 15 s give-up) count as infinitely slow in the percentiles ("failed").',
    '',
  );
  return out.join('\n');
}

/** Search and trace p95 at the offered rate (the targets) and, for comparison, at the low rate. */
function latencyTargets(store: string, main: PhaseStats, low: PhaseStats, r: ReportInput): string[][] {
  const rows: string[][] = [];
  for (const [k, limit] of [
    ['search', TARGET_SEARCH_P95],
    ['trace', TARGET_TRACE_P95],
  ] as const) {
    for (const [stats, rate] of [
      [main, r.rate],
      [low, r.lowRate],
    ] as const) {
      if (stats.samples.length === 0) continue;
      const p95 = p(ok(stats.samples, byKind(k)), 95);
      rows.push([
        `${store}: ${k} p95 at ${rate} q/s${rate === r.rate ? '' : ' (for comparison)'}`,
        `≤ ${limit} ms`,
        `${ms(p95)}${Number.isFinite(p95) ? ' ms' : ''}`,
        verdict(p95 <= limit),
      ]);
    }
  }
  return rows;
}

/** p50 / p95 per `kind range` label, one column per sample set. */
function labelRows(sets: Sample[][]): string[][] {
  const labels = [...new Set(sets.flatMap((set) => set.map((s) => s.label)))].sort();
  return labels.map((label) => [
    label,
    ...sets.map((set) => {
      const v = ok(set, (s) => s.label === label);
      return `${ms(p(v, 50))} / ${ms(p(v, 95))}`;
    }),
  ]);
}
