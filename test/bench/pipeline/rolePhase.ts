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
  /** Seconds from ready to done (group join included). */
  readySeconds: number;
  /** Seconds from the first progress seen to done: the consuming rate's span. */
  activeSeconds: number;
  /** CPU seconds of the role's process from ready to done. */
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
    // Minutes, not seconds: at load 40+ on 2 cores a role has taken over 60 s to load its modules.
    await waitReady(child, `http://127.0.0.1:${options.port}`, 300_000);
    const ready = performance.now();
    const cpu0 = cpuSeconds(child.pid);
    const broker0 = kafkaPid === null ? 0 : cpuSeconds(kafkaPid);
    const os0 = osPid === null ? 0 : cpuSeconds(osPid);
    const load = { start: load1(), max: load1(), end: 0 };
    let first: number | null = null;
    let done = 0;
    let lastLog = ready;
    for (;;) {
      if (child.exited()) throw new Error(`${options.role} exited:\n${child.logTail().join('\n')}`);
      done = await options.progress();
      const now = performance.now();
      load.max = Math.max(load.max, load1());
      if (first === null && done > 0) first = now;
      if (done >= options.target) {
        options.onDone?.();
        break;
      }
      if (now - ready > options.timeoutMs)
        throw new Error(
          `${options.role} did ${done} of ${options.target} records in ${options.timeoutMs} ms:\n${child.logTail().join('\n')}`,
        );
      if (now - lastLog > 5000) {
        lastLog = now;
        log(
          `  ${options.role}: ${done} / ${options.target} (${Math.round(done / ((now - ready) / 1000))}/s)`,
        );
      }
      await sleep(200);
    }
    const end = performance.now();
    const cpu = cpuSeconds(child.pid) - cpu0;
    const wall = (end - ready) / 1000;
    load.end = load1();
    const result: RolePhaseResult = {
      role: options.role,
      records: done,
      startSeconds: (ready - spawned) / 1000,
      readySeconds: wall,
      activeSeconds: (end - (first ?? ready)) / 1000,
      cpuSeconds: cpu,
      brokerCores: kafkaPid === null ? null : (cpuSeconds(kafkaPid) - broker0) / wall,
      openSearchCores: osPid === null ? null : (cpuSeconds(osPid) - os0) / wall,
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
