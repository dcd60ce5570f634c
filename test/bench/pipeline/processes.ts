/**
 * Sluice processes under measurement, each its own child (`node backend/main.ts --config … --roles …`,
 * or the agent), so no load generator shares their event loop; their CPU comes from /proc and covers
 * every thread of the process (GC, libuv pool) and nothing of the benchmark.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { followOutput } from '../../helpers/sluiceOutput.ts';
import { waitHealthy } from '../../helpers/waitFor.ts';

export { freePort } from '../../helpers/freePort.ts';

export const REPO = join(import.meta.dirname, '../../..');

export interface Child {
  name: string;
  pid: number;
  /** Last lines of its stdout/stderr (JSON logs), for diagnostics. */
  logTail(): string[];
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface SpawnOptions {
  name: string;
  /** Script relative to the repository, e.g. backend/main.ts. */
  script: string;
  args: string[];
  cwd: string;
  /** Directory for a `--cpu-prof` profile of this process; absent: none. */
  cpuProfDir?: string;
  env?: Record<string, string>;
  /** Checkout whose script is run (default: this one), to measure a changed copy. */
  repo?: string;
}

/** Children still running: killed if the benchmark itself exits (an error, Ctrl-C), never left behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export function spawnNode(options: SpawnOptions): Child {
  const nodeArgs =
    options.cpuProfDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, `--cpu-prof-name=${options.name}.cpuprofile`];
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, join(options.repo ?? REPO, options.script), ...options.args],
    {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...options.env },
    },
  );
  const { tail } = followOutput(child, 60);
  let exitCode: number | null | undefined;
  live.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      exitCode = code;
      resolve(code);
    }),
  );
  return {
    name: options.name,
    pid: child.pid as number,
    logTail: () => [...tail],
    exited: () => exitCode !== undefined,
    async stop(graceMs = 35_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Waits until `<url>/readyz` answers 200; throws with the child's log tail if it exits or times out. */
export async function waitReady(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const proc = {
    url: () => url,
    exitCode: () => (child.exited() ? null : undefined),
    logTail: () => child.logTail().join('\n'),
  };
  await waitHealthy(child.name, proc, timeoutMs, '/readyz').catch(async (error) => {
    await child.stop(1000);
    throw error;
  });
}

/** User+system CPU seconds of a process and all its threads so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is [0], utime [11], stime [12], in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Peak resident memory (VmHWM) in MiB; 0 once the process is gone. */
export function peakRssMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) / 1024;
  } catch {
    return 0;
  }
}

/** The 1-minute load average now, for the record of each measurement. */
export function load1(): number {
  return loadavg()[0];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The pid of a deploy/local engine from its state dir, for its CPU time (null when not found). */
export function enginePid(engine: 'kafka' | 'opensearch'): number | null {
  const state = process.env.SLUICE_STATE ?? join(process.env.HOME ?? '/root', '.cache/sluice/state');
  try {
    const pid = Number(readFileSync(join(state, engine, `${engine}.pid`), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
