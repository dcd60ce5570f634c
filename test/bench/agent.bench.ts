/**
 * `npm run bench:agent`: the real agent process ships a deterministic file of 2,000,000 JSON lines
 * (~215 bytes each, 5 % carrying secrets) to a local sink that decompresses, counts and acknowledges;
 * Fluent Bit 5.1 (the reference, from SLUICE_FLUENT_BIT) ships the same file to the same sink in the
 * same run, its runs alternating with the agent's. Prints lines/s, CPU seconds per million lines, peak
 * and idle RSS, bytes sent per line and the load average beside each figure, then the medians and the
 * targets of issue 12 against the measured reference.
 *
 *   SLUICE_FLUENT_BIT=/path/to/fluent-bit-dir node test/bench/agent.bench.ts [--lines N] [--runs N]
 *     [--only id,…] [--repo DIR] [--profile DIR] [--node-args=…] [--agent-stdout]
 *
 * Setup ids for `--only`: see SETUPS. Without SLUICE_FLUENT_BIT the Fluent Bit setups are skipped (and
 * the targets measured against it say so). `--repo` measures another checkout's agent on the same input;
 * `--profile` writes the agent's `--cpu-prof` profiles there; `--node-args` passes options to the
 * agent's node and `--agent-stdout` shows what it prints. Not a test: timings are not asserted, but a
 * run that loses or duplicates a line, or (masking on) leaks a sampled secret, makes the exit code 1.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { idleAgentRssMb, type RunResult, type RunSetup, runAgent } from './agent/agentRun.ts';
import { fluentBitDir, runFluentBit } from './agent/fluentBitRun.ts';
import { generate } from './agent/generate.ts';
import { exactlyOnce, type SetupSummary, summarize, table, targets } from './agent/report.ts';
import { startSink } from './agent/sink.ts';

const SETUPS: RunSetup[] = [
  {
    id: 'headline',
    name: 'Sluice: parse server, masking + zstd',
    mask: true,
    compression: 'zstd',
    parse: 'server',
  },
  {
    id: 'fbmask',
    name: 'Fluent Bit: Lua masking + gzip',
    mask: true,
    compression: 'gzip',
    fbConfig: 'fb-mask-gzip.conf',
  },
  {
    id: 'gzip',
    name: 'Sluice: parse server, masking + gzip',
    mask: true,
    compression: 'gzip',
    parse: 'server',
  },
  {
    id: 'plain',
    name: 'Sluice: parse server, no masking, no compression',
    mask: false,
    compression: 'none',
    parse: 'server',
  },
  {
    id: 'fbplain',
    name: 'Fluent Bit: no masking, no compression',
    mask: false,
    compression: 'none',
    fbConfig: 'fb-plain.conf',
  },
  { id: 'edge', name: 'Sluice: parse edge, masking + zstd', mask: true, compression: 'zstd', parse: 'edge' },
  {
    id: 'binary',
    name: 'Sluice single binary: parse server, masking + zstd',
    mask: true,
    compression: 'zstd',
    parse: 'server',
    binary: true,
  },
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
const fb = fluentBitDir();
let setups = only === undefined ? SETUPS : SETUPS.filter((s) => only.includes(s.id));
if (setups.length === 0) throw new Error(`--only takes ids among ${SETUPS.map((s) => s.id).join(', ')}`);
if (fb.dir === undefined && setups.some((s) => s.fbConfig !== undefined)) {
  console.log(`Fluent Bit setups skipped: ${fb.why}`);
  setups = setups.filter((s) => s.fbConfig === undefined);
}

const data = join(tmpdir(), `sluice-agent-bench-${lines}.log`);
const generated = await generate(data, lines);
const secrets = generated.secrets.map((s) => Buffer.from(s));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `input: ${data}, ${lines.toLocaleString('en-US')} lines, ${(generated.bytes / 1e6).toFixed(0)} MB ` +
    `(${(generated.bytes / lines).toFixed(0)} bytes a line), ${generated.secretLines.toLocaleString('en-US')} with secrets`,
);
console.log(
  `machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ` +
    `load ${load()}; agent: ${repo}; Fluent Bit: ${fb.dir ?? '-'}`,
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
const results = new Map<RunSetup, RunResult[]>(setups.map((s) => [s, []]));
let failed = false;
try {
  // Run-major: each round runs every setup once, so Sluice and Fluent Bit meet the same load.
  for (let i = 0; i < runs; i++) {
    for (const setup of setups) {
      const common = { dataPath: data, lines, bytes: generated.bytes, sink, timeoutMs: 15 * 60_000 };
      const result =
        setup.fbConfig !== undefined
          ? await runFluentBit({ ...setup, fbConfig: setup.fbConfig }, { ...common, dir: fb.dir as string })
          : await runAgent(setup, {
              ...common,
              repo,
              binary,
              secrets,
              cpuProfDir: values.profile,
              nodeArgs: values['node-args']?.split(' ').filter((a) => a !== ''),
              showStdout: values['agent-stdout'],
            });
      results.get(setup)?.push(result);
      const c = result.counts;
      const ok = exactlyOnce(result, lines);
      if (!ok) failed = true;
      console.log(
        `${setup.name} #${i + 1}: ${Math.round(result.linesPerSec).toLocaleString('en-US')} lines/s, ` +
          `${result.cpuSeconds.toFixed(1)} CPU s (${result.cpuPerMillion.toFixed(2)} per 1M lines), ` +
          `peak RSS ${result.peakRssMb.toFixed(0)} MB` +
          (setup.fbConfig === undefined ? `, ${result.idleRssMb.toFixed(0)} MB 5 s after` : '') +
          `, ${(c.wireBytes / lines).toFixed(1)} bytes a line sent, load ${result.load.toFixed(1)} ` +
          `(now ${load()}); ${c.batches} batches, ${c.markers} masked values; ` +
          `${ok ? 'every line exactly once' : `NOT exactly once: ${JSON.stringify(c)}`}`,
      );
    }
  }
} finally {
  await sink.close();
}

const idle: Array<[string, number]> = [];
for (const asBinary of [false, true]) {
  if (asBinary && binary === undefined) continue;
  const mb = await idleAgentRssMb({ repo, binary, sink }, asBinary);
  idle.push([asBinary ? 'single binary' : 'node agent/main.ts', mb]);
  console.log(
    `idle agent (${asBinary ? 'single binary' : 'node agent/main.ts'}), 8 s after start: RSS ${mb.toFixed(0)} MB, load ${load()}`,
  );
}
if (binary !== undefined) await rm(binary, { force: true });

const summaries: SetupSummary[] = setups.map((s) => summarize(s, results.get(s) ?? [], lines));
console.log(`\n${table(summaries)}\n\n${targets(summaries, idle)}`);
if (failed) process.exitCode = 1;
