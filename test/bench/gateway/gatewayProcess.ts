/**
 * The gateway under test as a child process (`node backend/main.ts --config …`), so the load
 * generator never shares its event loop. Waits for /readyz; stops it with SIGTERM.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { followOutput } from '../../helpers/sluiceOutput.ts';
import { waitHealthy } from '../../helpers/waitFor.ts';

export interface GatewayChild {
  url: string;
  pid: number;
  /** Last lines the child wrote to stderr/stdout (its JSON log), for diagnostics. */
  logTail(): string[];
  stop(): Promise<number | null>;
}

const REPO = join(import.meta.dirname, '../../..');

export interface GatewayChildOptions {
  dir: string;
  port: number;
  /** Port of the OTLP/gRPC listener (`listen.otlp_grpc`); absent: none. */
  grpcPort?: number;
  brokers: string[];
  /** bus.client: the Kafka client library (absent: the default). */
  client?: string;
  topicPrefix: string;
  partitions: number;
  /** Checkout whose backend/main.ts is run (default: this one), to measure a changed copy. */
  repo?: string;
  /** Directory for `--cpu-prof` output; absent: no profile. */
  cpuProfDir?: string;
  /** `listen.processes`: gateway processes sharing the port (absent: one). */
  processes?: number | 'auto';
}

export async function startGateway(options: GatewayChildOptions): Promise<GatewayChild> {
  const config = join(options.dir, `sluice-${options.port}.yaml`);
  await writeFile(
    config,
    [
      'roles: [gateway]',
      `listen: { gateway: "127.0.0.1:${options.port}"${options.grpcPort === undefined ? '' : `, otlp_grpc: "127.0.0.1:${options.grpcPort}"`}${options.processes === undefined ? '' : `, processes: ${options.processes}`} }`,
      `bus: { kind: kafka, ${options.client === undefined ? '' : `client: ${options.client}, `}brokers: [${options.brokers.map((b) => JSON.stringify(b)).join(', ')}], topic_prefix: "${options.topicPrefix}", partitions: ${options.partitions}, replication: 1 }`,
      'limits: { max_body: 16MiB, max_records: 10000 }',
      'log: { level: warn }',
      '',
    ].join('\n'),
  );
  const nodeArgs =
    options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`];
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, join(options.repo ?? REPO, 'backend/main.ts'), '--config', config],
    {
      cwd: options.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    },
  );
  const { tail } = followOutput(child, 50);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );

  const url = `http://127.0.0.1:${options.port}`;
  const proc = { url: () => url, exitCode: () => exitCode, logTail: () => tail.join('\n') };
  // Under load 30+, a primary and its gateway processes take most of a minute to start.
  await waitHealthy('gateway', proc, 180_000, '/readyz').catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    url,
    pid: child.pid as number,
    logTail: () => [...tail],
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 35_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** User+system CPU seconds of a process so far, from /proc (0 when it is gone). */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  // Fields after the command: state is [0], utime [11], stime [12] (clock ticks, 100 a second).
  return fields === null ? 0 : (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of a process and all its descendants (a gateway primary and its gateway processes):
 * the live ones from their own stat, the exited and reaped ones from their parent's cutime/cstime.
 */
export function treeCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  if (fields === null) return 0;
  let sum = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  for (const child of childPids(pid)) sum += treeCpuSeconds(child);
  return sum;
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .split(' ')
        .filter((s) => s !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}
