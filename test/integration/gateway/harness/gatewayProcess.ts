/**
 * A real Sluice gateway as a child process, started the way operators start it:
 * `node backend/main.ts --config <dir>/sluice.yaml`. It listens on a port the OS picks; the URL is read
 * from its own "listening" log line, so parallel tests never race for a port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

export { authSection, type TestKey } from '../../../helpers/apiKeys.ts';

import { followOutput } from '../../../helpers/sluiceOutput.ts';
import { waitHealthy } from '../../../helpers/waitFor.ts';

const REPO = join(import.meta.dirname, '../../../..');

export interface GatewayProcess {
  url: string;
  pid: number;
  /** Exit code once the process has exited, else undefined. */
  exitCode(): number | null | undefined;
  /** The last lines of its log (stderr, one JSON object a line), for failure messages. */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** An ingest key and the tenant it stands for, configured by its SHA-256 as in a real sluice.yaml. */

/** Writes `config` as YAML to `<dir>/sluice.yaml` and returns the path. */
export async function writeSluiceYaml(dir: string, config: Record<string, unknown>): Promise<string> {
  const file = join(dir, 'sluice.yaml');
  await writeFile(file, stringify(config));
  return file;
}

/** Starts `node backend/main.ts --config <file>` and waits until it listens and /healthz answers. */
export async function startGatewayProcess(configFile: string, cwd: string): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(REPO, 'backend/main.ts'), '--config', configFile],
    {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    },
  );
  const output = followOutput(child, 200);
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (c, signal) => {
      code = c ?? (signal === null ? null : 128);
      resolve(code);
    }),
  );
  const logTail = (lines = 40) => output.tail.slice(-lines).join('\n');

  await waitHealthy('gateway', { url: output.url, exitCode: () => code, logTail }).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    url: output.url() as string,
    pid: child.pid as number,
    exitCode: () => code,
    logTail,
    async stop() {
      if (code !== undefined) return code;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 35_000);
      const result = await exited;
      clearTimeout(kill);
      return result;
    },
  };
}
