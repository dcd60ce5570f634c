/**
 * One worker role measured alone: start `node backend/main.ts --roles <role>` on records already waiting
 * in its input topic, poll its progress until it has done `target` records, stop it. Records when it was
 * ready, when output first appeared and when it was done, its CPU seconds (all threads), the broker's and
 * OpenSearch's CPU over the same span, and the load average.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Child,
  cpuSeconds,
  enginePid,
  load1,
  peakRssMiB,
  sleep,
  spawnNode,
  waitReady,
} from './processes.ts';
import { log } from './report.ts';

export interface RolePhaseOptions {
  role: 'processor' | 'indexer';
  /** Names its config file, log and profile (default: the role). */
  name?: string;
  dir: string;
  /** sluice.yaml without `listen` (added here, one metrics port per role). */
  configYaml: string;
  port: number;
  /** Records done so far (polled every 200 ms). */
  progress: () => Promise<number>;
  target: number;
  timeoutMs: number;
  cpuProfDir?: string;
  /** Checkout to run the role from (default: this one). */
  repo?: string;
  /** Called the moment `target` is reached, before the role is stopped. */
  onDone?: () => void;
}

export interface RolePhaseResult {
  role: string;
  records: number;
  /** Seconds from spawn to /readyz answering 200. */
  startSeconds: number;
  /** Seconds from ready to done (group join included; 0 when done before /readyz was seen). */
  readySeconds: number;
  /** Seconds from the first progress seen to done: the consuming rate's span. */
  activeSeconds: number;
  /** CPU seconds of the role's process from ready (or its first records, if earlier) to done. */
  cpuSeconds: number;
  brokerCores: number | null;
  openSearchCores: number | null;
  peakRssMiB: number;
  load: { start: number; max: number; end: number };
  pid: number;
}

export async function measureRole(options: RolePhaseOptions): Promise<RolePhaseResult> {
  const name = options.name ?? options.role;
  const config = join(options.dir, `${name}.yaml`);
  await writeFile(config, `listen: { metrics: "127.0.0.1:${options.port}" }\n${options.configYaml}`);
  const kafkaPid = enginePid('kafka');
  const osPid = enginePid('opensearch');
  const spawned = performance.now();
  const child: Child = spawnNode({
    name,
    script: 'backend/main.ts',
    args: ['--config', config, '--roles', options.role],
    cwd: options.dir,
    cpuProfDir: options.cpuProfDir,
    repo: options.repo,
  });
  try {
    // Progress is polled from the spawn on, readiness beside it: at load 40 a role has indexed all its
    // records before its /readyz was seen (minutes, not seconds, to load its modules at load 40+).
    let ready: number | null = null;
    let failed: unknown;
    const readied = waitReady(child, `http://127.0.0.1:${options.port}`, 300_000).then(
      () => {
        ready = performance.now();
      },
      (error: unknown) => {
        failed = error;
      },
    );
    // Counters start when the role is ready or has done its first records, whichever comes first: the
    // CPU of loading modules and joining the group is not the role's per-record cost.
    let start = null as { at: number; cpu: number; broker: number; os: number } | null;
    const startNow = (at: number) => {
      start ??= {
        at,
        cpu: cpuSeconds(child.pid),
        broker: kafkaPid === null ? 0 : cpuSeconds(kafkaPid),
        os: osPid === null ? 0 : cpuSeconds(osPid),
      };
    };
    const load = { start: load1(), max: load1(), end: 0 };
    let first: number | null = null;
    let done = 0;
    let lastLog = spawned;
    for (;;) {
      if (failed !== undefined) throw failed;
      if (child.exited()) throw new Error(`${options.role} exited:\n${child.logTail().join('\n')}`);
      done = await options.progress();
      const now = performance.now();
      load.max = Math.max(load.max, load1());
      if (ready !== null) startNow(ready);
      if (first === null && done > 0) {
        first = now;
        startNow(now);
      }
      if (done >= options.target) {
        options.onDone?.();
        break;
      }
      if (now - spawned > options.timeoutMs)
        throw new Error(
          `${options.role} did ${done} of ${options.target} records in ${options.timeoutMs} ms:\n${child.logTail().join('\n')}`,
        );
      if (now - lastLog > 5000 && start !== null) {
        lastLog = now;
        log(
          `  ${options.role}: ${done} / ${options.target} (${Math.round(done / ((now - start.at) / 1000))}/s)`,
        );
      }
      await sleep(200);
    }
    const end = performance.now();
    const cpu = cpuSeconds(child.pid) - (start?.cpu ?? 0);
    const broker = kafkaPid === null ? 0 : cpuSeconds(kafkaPid);
    const os = osPid === null ? 0 : cpuSeconds(osPid);
    load.end = load1();
    await readied;
    if (failed !== undefined) throw failed;
    const readyAt = ready ?? end;
    const wall = (end - (start?.at ?? readyAt)) / 1000;
    const result: RolePhaseResult = {
      role: options.role,
      records: done,
      startSeconds: (readyAt - spawned) / 1000,
      readySeconds: Math.max(0, (end - readyAt) / 1000),
      activeSeconds: (end - (first ?? readyAt)) / 1000,
      cpuSeconds: cpu,
      brokerCores: kafkaPid === null ? null : (broker - (start?.broker ?? 0)) / wall,
      openSearchCores: osPid === null ? null : (os - (start?.os ?? 0)) / wall,
      peakRssMiB: peakRssMiB(child.pid),
      load,
      pid: child.pid,
    };
    const code = await child.stop();
    if (code !== 0) log(`${options.role} exited with ${code}:\n${child.logTail().slice(-10).join('\n')}`);
    return result;
  } finally {
    await child.stop(5000);
  }
}
