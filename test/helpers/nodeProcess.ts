/**
 * Real Sluice processes for the tests that drive them from outside: the server (standalone runner or
 * backend/main.ts with roles) and the agent, each a child process started as operators start them, with
 * their logs kept for failure messages and stopped with SIGTERM (SIGKILL only past a deadline).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor, waitHealthy as waitHealthyProcess } from './waitFor.ts';

export { freePort } from './freePort.ts';

export const REPO = join(import.meta.dirname, '../..');

export interface NodeProcess {
  name: string;
  pid: number;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  logTail(lines?: number): string;
  /** Every line written so far. */
  lines(): string[];
  exitCode(): number | null | undefined;
  /** Runs to completion (for short commands): resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv = {}): NodeProcess {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
  });
  const all: string[] = [];
  const pending = { out: '', err: '' };
  const collect = (which: 'out' | 'err') => (chunk: Buffer) => {
    pending[which] += chunk.toString('utf8');
    const parts = pending[which].split('\n');
    pending[which] = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') all.push(line);
    if (all.length > 5000) all.splice(0, all.length - 5000);
  };
  child.stdout?.on('data', collect('out'));
  child.stderr?.on('data', collect('err'));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (c, signal) => {
      for (const rest of [pending.out, pending.err]) if (rest.trim() !== '') all.push(rest);
      code = c ?? (signal === null ? null : 128);
      resolve(code);
    }),
  );
  return {
    name,
    pid: child.pid as number,
    logTail: (n = 40) => all.slice(-n).join('\n'),
    lines: () => all,
    exitCode: () => code,
    exited,
    async stop() {
      if (code !== undefined) return code;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const result = await exited;
      clearTimeout(kill);
      return result;
    },
  };
}

/**
 * The shared waitFor with what the end-to-end probes need: errors count as "not yet" (a process still
 * starting), `context()` (the processes' logs) is shown on timeout.
 */
export function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  context: () => string = () => '',
  intervalMs = 200,
): Promise<T> {
  return waitFor(what, probe, { timeoutMs, context, intervalMs, retryOnError: true }) as Promise<T>;
}

/** Waits until `<url>/healthz` answers 200, failing early with the log if the process exits. */
export async function waitHealthy(proc: NodeProcess, url: string, timeoutMs = 60_000): Promise<void> {
  await waitHealthyProcess(
    proc.name,
    { url: () => url, exitCode: () => proc.exitCode(), logTail: () => proc.logTail() },
    timeoutMs,
  );
}

/**
 * Runs `backend/main.ts --config <config> --retention-dry-run --json` as a user would and returns what
 * it would drop, per store, sorted.
 */
export async function retentionDryRun(config: string): Promise<(store: string) => string[]> {
  const dry = spawnNode('dry-run', ['backend/main.ts', '--config', config, '--retention-dry-run', '--json']);
  const code = await dry.exited;
  if (code !== 0) throw new Error(`the retention dry run exited with ${code}:\n${dry.logTail()}`);
  const run = JSON.parse(dry.lines().find((l) => l.startsWith('{"dryRun"')) as string) as {
    steps: Array<{ store: string; dropped: string[] }>;
  };
  return (store) =>
    run.steps
      .filter((s) => s.store === store)
      .flatMap((s) => s.dropped)
      .sort();
}
