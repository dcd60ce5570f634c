/**
 * One Sluice server process, started the way operators start it:
 * `node backend/main.ts --config <sluice.yaml> --roles <roles>`. Every process listens on a port the OS
 * picks (`127.0.0.1:0` in the config); the URL comes from its own "listening" log line. Its log goes to
 * `<dir>/<name>.log` (kept across restarts) and the last lines stay in memory for failure messages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { followOutput } from '../../../helpers/sluiceOutput.ts';
import { waitHealthy } from '../../../helpers/waitFor.ts';

const REPO = join(import.meta.dirname, '../../../..');
// Generous: at load 45-60 a processor took over 90 s to answer /healthz; a process that dies fails at once.
const START_DEADLINE_MS = 180_000;

export interface SluiceProcess {
  name: string;
  url: string;
  pid: number;
  /** Exit code (128 for a signal) once exited, else undefined. */
  exitCode(): number | null | undefined;
  logTail(lines?: number): string;
  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful: drain, flush, commit), SIGKILL after 40 s. */
  stop(): Promise<void>;
  /** Sum of every series of a Prometheus metric on the process's /metrics (0 when absent). */
  metric(name: string): Promise<number>;
}

export async function startSluice(options: {
  name: string;
  configFile: string;
  roles: readonly string[];
  dir: string;
}): Promise<SluiceProcess> {
  const { name, configFile, roles, dir } = options;
  const file = createWriteStream(join(dir, `${name}.log`), { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    [join(REPO, 'backend/main.ts'), '--config', configFile, '--roles', roles.join(',')],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    },
  );
  const output = followOutput(child, 300, (chunk) => file.write(chunk));
  let code: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (c, signal) => {
      code = c ?? (signal === null ? null : 128);
      file.end();
      resolve();
    }),
  );
  const logTail = (lines = 40) =>
    `--- ${name} (${roles.join(',')}) ---\n${output.tail.slice(-lines).join('\n')}`;

  await waitHealthy(name, { url: output.url, exitCode: () => code, logTail }, START_DEADLINE_MS).catch(
    (error) => {
      child.kill('SIGKILL');
      throw error;
    },
  );
  const base = output.url() as string;

  return {
    name,
    url: base,
    pid: child.pid as number,
    exitCode: () => code,
    logTail,
    async kill9() {
      if (code === undefined) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (code !== undefined) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await exited;
      clearTimeout(kill);
    },
    async metric(metricName: string) {
      const response = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) });
      const text = await response.text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (line.startsWith(`${metricName} `) || line.startsWith(`${metricName}{`))
          sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return sum;
    },
  };
}
