/**
 * One measured run of the real agent process (`node agent/main.ts --config …`) over the generated file:
 * from spawning it to the sink holding every line. CPU and peak memory come from /proc, so they cover
 * the whole process (worker and thread-pool threads included) and nothing of the bench or the sink.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunCounts, Sink } from './sink.ts';

export interface RunSetup {
  /** Short name for `--only`. */
  id: string;
  name: string;
  mask: boolean;
  compression: 'zstd' | 'gzip' | 'none';
  /** The input's `parse`: where lines are parsed (agent.yaml's default, edge, when absent). */
  parse?: 'edge' | 'server';
  /** agent.yaml `edge.threads`; the agent's default (auto) when absent. */
  threads?: number;
  /** Run the single binary (npm run build:agent) instead of node agent/main.ts. */
  binary?: boolean;
  /** Run Fluent Bit with this configuration of its folder instead of the agent (fluentBitRun.ts). */
  fbConfig?: string;
}

export interface RunOptions {
  /** Checkout whose agent/main.ts is run (to measure another version). */
  repo: string;
  /** The single binary to run instead of `node <repo>/agent/main.ts`. */
  binary?: string;
  dataPath: string;
  lines: number;
  bytes: number;
  secrets: readonly Buffer[];
  sink: Sink;
  /** Directory for the agent's `--cpu-prof` output; absent: no profile. */
  cpuProfDir?: string;
  /** More options for the agent's node (`--max-semi-space-size=…`), for experiments. */
  nodeArgs?: string[];
  /** The agent's stdout goes to the bench's (`--trace-gc` output) instead of nowhere. */
  showStdout?: boolean;
  timeoutMs: number;
}

export interface RunResult {
  setup: RunSetup;
  seconds: number;
  linesPerSec: number;
  mbPerSec: number;
  cpuSeconds: number;
  cpuPerMillion: number;
  peakRssMb: number;
  /** Resident memory 5 s after the last line arrived (the agent idle after the work). */
  idleRssMb: number;
  load: number;
  counts: RunCounts;
}

const CLOCK_TICKS = 100;

/** User+system CPU seconds of a process and all its threads so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is [0], utime [11], stime [12], in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Peak resident memory of a process so far (VmHWM), in MB (10^6 bytes); 0 once it is gone. */
export function peakRssMb(pid: number): number {
  return statusMb(pid, 'VmHWM');
}

/** Resident memory of a process now (VmRSS), in MB; 0 once it is gone. */
export function rssMb(pid: number): number {
  return statusMb(pid, 'VmRSS');
}

function statusMb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match === null ? 0 : (Number(match[1]) * 1024) / 1e6;
  } catch {
    return 0;
  }
}

/**
 * The agent started on an empty file and left alone for `waitMs`: its resident memory then (MB), the
 * "idle" figure of the targets.
 */
export async function idleAgentRssMb(
  options: Pick<RunOptions, 'repo' | 'binary' | 'sink'>,
  binary: boolean,
  waitMs = 8000,
): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-agent-bench-idle-'));
  await mkdir(join(dir, 'state'));
  const empty = join(dir, 'empty.log');
  await writeFile(empty, '');
  const setup: RunSetup = { id: 'idle', name: 'idle', mask: true, compression: 'zstd', parse: 'server' };
  await writeFile(
    join(dir, 'agent.yaml'),
    agentYaml(setup, dir, { ...options, dataPath: empty } as RunOptions),
  );
  const [command, ...args] =
    !binary || options.binary === undefined
      ? [process.execPath, join(options.repo, 'agent/main.ts')]
      : [options.binary];
  const child = spawn(command, [...args, '--config', join(dir, 'agent.yaml')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    return rssMb(child.pid as number);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

function agentYaml(setup: RunSetup, dir: string, options: RunOptions): string {
  return [
    `gateway: { url: "${options.sink.url}", compression: ${setup.compression}, concurrency: 2 }`,
    `state_dir: ${join(dir, 'state')}`,
    'batch: { max_events: 10000, max_bytes: 1MiB, max_wait: 200ms }',
    'metrics: { listen: "127.0.0.1:0" }',
    'enrich: { kubernetes: off }',
    'log: { level: warn }',
    // Masking off is an empty detector list: nothing is scanned.
    setup.mask ? 'mask: {}' : 'mask: { builtin: [] }',
    ...(setup.threads === undefined ? [] : [`edge: { threads: ${setup.threads} }`]),
    'inputs:',
    '  - type: file',
    `    paths: ["${options.dataPath}"]`,
    '    service: checkout',
    '    format: json',
    ...(setup.parse === undefined ? [] : [`    parse: ${setup.parse}`]),
    '    start_at: beginning',
    '',
  ].join('\n');
}

export async function runAgent(setup: RunSetup, options: RunOptions): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-agent-bench-run-'));
  await mkdir(join(dir, 'state'));
  const config = join(dir, 'agent.yaml');
  await writeFile(config, agentYaml(setup, dir, options));
  options.sink.reset(options.lines, setup.mask ? options.secrets : []);
  const nodeArgs = [
    ...(options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`]),
    ...(options.nodeArgs ?? []),
  ];

  const [command, ...args] =
    !setup.binary || options.binary === undefined
      ? [process.execPath, ...nodeArgs, join(options.repo, 'agent/main.ts')]
      : [options.binary];
  try {
    return await measureRun(setup, command, [...args, '--config', config], {
      ...options,
      stdout: options.showStdout ? 'inherit' : 'ignore',
      idleAfterMs: 5000,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Spawns `command`, waits until the sink holds every line, and measures the process from /proc: CPU of
 * all its threads, peak RSS, and (with `idleAfterMs`) its RSS that long after the last line arrived.
 * Stops it with SIGTERM (SIGKILL after 15 s) in any case.
 */
export async function measureRun(
  setup: RunSetup,
  command: string,
  args: string[],
  options: Pick<RunOptions, 'lines' | 'bytes' | 'sink' | 'timeoutMs'> & {
    env?: NodeJS.ProcessEnv;
    stdout?: 'inherit' | 'ignore';
    idleAfterMs?: number;
  },
): Promise<RunResult> {
  const loadBefore = loadavg()[0];
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid as number;
  try {
    const outcome = await Promise.race([
      options.sink.complete().then(() => 'complete' as const),
      exited.then(() => 'exited' as const),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), options.timeoutMs).unref()),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(pid);
    const rss = peakRssMb(pid);
    const loadAfter = loadavg()[0];
    let idleRss = 0;
    if (options.idleAfterMs !== undefined && outcome === 'complete') {
      await new Promise((resolve) => setTimeout(resolve, options.idleAfterMs));
      idleRss = rssMb(pid);
    }
    if (outcome !== 'complete') {
      throw new Error(
        `${setup.name}: ${command} ${outcome === 'exited' ? 'exited' : 'timed out'} with ` +
          `${options.sink.counts().distinct} of ${options.lines} lines delivered; its stderr:\n${stderr}`,
      );
    }
    return {
      setup,
      seconds,
      linesPerSec: options.lines / seconds,
      mbPerSec: options.bytes / seconds / 1e6,
      cpuSeconds: cpu,
      cpuPerMillion: (cpu / options.lines) * 1e6,
      peakRssMb: rss,
      idleRssMb: idleRss,
      load: (loadBefore + loadAfter) / 2,
      counts: options.sink.counts(),
    };
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  }
}
