/**
 * `npm run bench:agent`: the real agent process ships a deterministic file of 2,000,000 JSON lines
 * (~210 bytes each, 5 % carrying secrets) to a local sink that decompresses, counts and acknowledges.
 * Prints lines/s, MB/s, CPU seconds per million lines and peak RSS, the median of 3 runs for each
 * setup (masking and zstd on; masking off; compression off; gzip; two edge threads; the single
 * binary), beside Fluent Bit's figures.
 *
 *   node test/bench/agent.bench.ts [--lines N] [--runs N] [--only id,…] [--repo DIR] [--profile DIR]
 *                                  [--node-args=…] [--agent-stdout]
 *
 * Setup ids for `--only`: headline, nomask, nocompress, gzip, threads2, binary. `--repo` measures
 * another checkout's agent on the same input (before/after); `--profile` writes the agent's
 * `--cpu-prof` profiles there; `--node-args` passes options to the agent's node (`--trace-gc`) and
 * `--agent-stdout` shows what it prints. Not a test: timings are not asserted, but a run that loses or
 * duplicates a line, or leaks a sampled secret, makes the exit code 1.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type RunResult, type RunSetup, runAgent } from './agent/agentRun.ts';
import { generate } from './agent/generate.ts';
import { exactlyOnce, type SetupSummary, summarize, table } from './agent/report.ts';
import { startSink } from './agent/sink.ts';

const SETUPS: RunSetup[] = [
  { id: 'headline', name: 'masking + zstd', mask: true, compression: 'zstd' },
  { id: 'nomask', name: 'masking off, zstd', mask: false, compression: 'zstd' },
  { id: 'nocompress', name: 'masking, compression off', mask: true, compression: 'none' },
  { id: 'gzip', name: 'masking + gzip', mask: true, compression: 'gzip' },
  { id: 'threads2', name: 'masking + zstd, 2 edge threads', mask: true, compression: 'zstd', threads: 2 },
  { id: 'binary', name: 'masking + zstd, single binary', mask: true, compression: 'zstd', binary: true },
];

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '2000000' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    repo: { type: 'string' },
    profile: { type: 'string' },
    'node-args': { type: 'string' },
    'agent-stdout': { type: 'boolean', default: false },
  },
});
const lines = Number(values.lines);
const runs = Number(values.runs);
const repo = resolve(values.repo ?? join(import.meta.dirname, '../..'));
const only = values.only?.split(',').map((s) => s.trim());
const setups = only === undefined ? SETUPS : SETUPS.filter((s) => only.includes(s.id));
if (setups.length === 0) throw new Error(`--only takes ids among ${SETUPS.map((s) => s.id).join(', ')}`);

const data = join(tmpdir(), `sluice-agent-bench-${lines}.log`);
const generated = await generate(data, lines);
const secrets = generated.secrets.map((s) => Buffer.from(s));
console.log(
  `input: ${data}, ${lines.toLocaleString('en-US')} lines, ${(generated.bytes / 1e6).toFixed(0)} MB ` +
    `(${(generated.bytes / lines).toFixed(0)} bytes a line), ${generated.secretLines.toLocaleString('en-US')} with secrets`,
);
console.log(
  `machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ` +
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; agent: ${repo}`,
);

// The single binary is built once, from the measured checkout, when a setup runs it.
let binary: string | undefined;
if (setups.some((s) => s.binary)) {
  binary = join(tmpdir(), `sluice-agent-bench-${process.pid}`);
  const build = spawnSync(process.execPath, [join(repo, 'agent/build/buildAgent.ts'), '--out', binary], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('npm run build:agent failed; see above');
}

const sink = await startSink();
const summaries: SetupSummary[] = [];
let failed = false;
try {
  for (const setup of setups) {
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      const result = await runAgent(setup, {
        repo,
        binary,
        dataPath: data,
        lines,
        bytes: generated.bytes,
        secrets,
        sink,
        cpuProfDir: values.profile,
        nodeArgs: values['node-args']?.split(' ').filter((a) => a !== ''),
        showStdout: values['agent-stdout'],
        timeoutMs: 15 * 60_000,
      });
      results.push(result);
      const c = result.counts;
      const ok = exactlyOnce(result, lines);
      if (!ok) failed = true;
      console.log(
        `${setup.name} #${i + 1}: ${Math.round(result.linesPerSec).toLocaleString('en-US')} lines/s, ` +
          `${result.mbPerSec.toFixed(1)} MB/s, ${result.cpuSeconds.toFixed(1)} CPU s ` +
          `(${result.cpuPerMillion.toFixed(2)} per 1M lines), peak RSS ${result.peakRssMb.toFixed(0)} MB, ` +
          `load ${result.load.toFixed(1)}; ${c.batches} batches, ${(c.wireBytes / 1e6).toFixed(0)} MB on the wire, ` +
          `${c.markers} masked values; ${ok ? 'every line exactly once' : `NOT exactly once: ${JSON.stringify(c)}`}`,
      );
    }
    summaries.push(summarize(setup, results, lines));
  }
} finally {
  await sink.close();
  if (binary !== undefined) await rm(binary, { force: true });
}
console.log(`\n${table(summaries)}`);
if (failed) process.exitCode = 1;
