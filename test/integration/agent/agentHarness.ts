import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen } from '../../../core/http/listen.ts';
import { writeAgentYaml } from '../../helpers/agentYaml.ts';
import { TEST_KEYS, testGateway } from '../../helpers/gatewayFixture.ts';
import { RecordingBus } from '../../helpers/recordingBus.ts';

export const REPO = new URL('../../../', import.meta.url).pathname;
export const AGENT_MAIN = join(REPO, 'agent/main.ts');

/** The real gateway app on a loopback port, storing into an in-memory bus (the gateway is not under test). */
export async function startGateway() {
  const bus = new RecordingBus();
  const gateway = testGateway(bus);
  const server = await listen(gateway.app.fetch, { address: '127.0.0.1:0', hasKeys: true });
  return {
    bus,
    url: server.url,
    key: TEST_KEYS.ingest,
    events: () => bus.values('logs.raw'),
    close: server.close,
  };
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** agent.yaml for a test: one file input over `logGlob`, state and metrics in the temp dir / a free port. */
export function writeAgentConfig(
  dir: string,
  options: { gatewayUrl: string; key: string; logGlob: string; extra?: string; input?: string },
): Promise<string> {
  return writeAgentYaml({
    dir,
    gateway: { url: options.gatewayUrl, key: options.key },
    gatewayOptions: 'compression: zstd',
    enrich: '{ kubernetes: off, fields: { env: test } }',
    extra: options.extra,
    inputs: `  - type: file
    paths: ["${options.logGlob}"]
    service: checkout
    poll_interval: 50ms
${options.input ?? ''}`,
  });
}

/** A running agent process with its stderr (structured JSON logs) collected. */
export interface AgentProcess {
  child: ChildProcess;
  logs: () => Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line for which `match` is true. */
  waitForLog(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

export function spawnAgent(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): AgentProcess {
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stdout?.resume();
  const logs = () =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal });
    });
  });
  return {
    child,
    logs,
    exited,
    async waitForLog(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logs().find(match);
        if (found !== undefined) return found;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`log line not found; agent stderr:\n${stderr.slice(-4000)}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100).unref();
        });
      }
    },
  };
}
