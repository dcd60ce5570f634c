/**
 * bin/launch.mjs on a machine whose own Node.js is too old for Sluice's TypeScript (Node 20 here and in
 * CI, before .ci/run puts Node 24 first on PATH): `npm start`, the bins and `npm test` still work, Ctrl-C
 * stops cleanly, exit codes and signals pass through, and with no way to get a new Node it says in one
 * line what to install.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  isNewEnough,
  nodesOnPath,
  provisionNode,
  requiredVersion,
  versionOf,
} from '../../../bin/findNode.mjs';
import { freePort } from '../../helpers/freePort.ts';
import { REPO } from '../../helpers/nodeProcess.ts';
import { embeddedEnginesYaml } from '../../helpers/standalone.ts';

/** The machine's Node older than package.json allows (PATH, the usual places), else Node 20 from npm. */
function oldNode(): string {
  const minimum = requiredVersion();
  const path = [process.env.PATH, '/usr/bin', '/usr/local/bin'].join(delimiter);
  for (const node of nodesOnPath({ PATH: path })) {
    const version = versionOf(node);
    if (version !== undefined && !isNewEnough(version, minimum)) return node;
  }
  return provisionNode(20);
}

interface Run {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `command` in its own process group (as a terminal runs a foreground job), collecting its output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = REPO): Run {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, exited };
}

async function waitHealthy(url: string, process: Run): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no /healthz 200 at ${url}:\n${process.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A line of Sluice's JSON log at error level (or a stack trace) in the output. */
function errorLines(lines: string[]): string[] {
  return lines.filter((line) => line.includes('"level":"error"') || /^\s+at /.test(line));
}

describe('the launcher (bin/launch.mjs) under an old Node', () => {
  let node: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const started: Run[] = [];
  const track = (r: Run) => {
    started.push(r);
    return r;
  };

  before(async () => {
    node = oldNode();
    assert.ok(!isNewEnough(versionOf(node) ?? '0', requiredVersion()), `${node} should be too old`);
    dir = await mkdtemp(join(tmpdir(), 'sluice-launcher-'));
    // The old Node first, as on a machine where it is the only one installed; Node 24 stays findable
    // later on PATH (where the test runner's own is) or in the cache.
    env = { ...process.env, PATH: [dirname(node), process.env.PATH].join(delimiter) };
  });

  after(async () => {
    for (const r of started) {
      if (r.child.exitCode === null && r.child.signalCode === null)
        process.kill(-(r.child.pid as number), 'SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('npm start (the demo) answers /healthz, and Ctrl-C ends it with exit 0 and no error line', async () => {
    const port = await freePort();
    const npm = track(
      run('npm', ['start', '--', '--data', join(dir, 'npm-start')], {
        ...env,
        SLUICE_LISTEN: `127.0.0.1:${port}`,
      }),
    );
    await waitHealthy(`http://127.0.0.1:${port}`, npm);
    // Let the demo agent start shipping, so its shutdown has something to finish.
    const deadline = Date.now() + 30_000;
    while (!npm.lines.some((l) => l.includes('"agent started"')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    // Ctrl-C: the terminal signals the whole foreground process group (npm, the launcher, the server, the
    // demo agent), and npm, the launcher and the server each pass a copy on.
    process.kill(-(npm.child.pid as number), 'SIGINT');
    const { code } = await npm.exited;
    const output = npm.lines.join('\n');
    assert.equal(code, 0, output);
    assert.deepEqual(errorLines(npm.lines), [], output);
    assert.ok(
      npm.lines.some((l) => l.includes('"agent stopped"') && l.includes('"drained":true')),
      output,
    );
  });

  it('the sluice-server bin runs a server from any directory; SIGTERM to the launcher alone stops it', async () => {
    const port = await freePort();
    const config = join(dir, 'server.yaml');
    await writeFile(
      config,
      [`listen: { gateway: "127.0.0.1:${port}" }`, embeddedEnginesYaml(join(dir, 'bin')), ''].join('\n'),
    );
    const server = track(run(node, [join(REPO, 'bin/sluice-server.mjs'), '--config', config], env, dir));
    await waitHealthy(`http://127.0.0.1:${port}`, server);
    // A supervisor that signals only the process it started (systemd's KillMode=process, a test harness).
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 0, server.lines.join('\n'));
    assert.deepEqual(errorLines(server.lines), []);
  });

  it("runs npm test's runner (node --test on .ts files) and passes its exit code through", async () => {
    const tests = track(run(node, ['bin/launch.mjs', '--test', 'agent/runtime/signals.test.ts'], env));
    assert.equal((await tests.exited).code, 0, tests.lines.join('\n'));
    const seven = track(run(node, ['bin/launch.mjs', '-e', 'process.exitCode = 7'], env));
    assert.equal((await seven.exited).code, 7);
  });

  it('dies of the signal that ended the child', async () => {
    const killed = track(run(node, ['bin/launch.mjs', '-e', "process.kill(process.pid, 'SIGTERM')"], env));
    assert.deepEqual(await killed.exited, { code: null, signal: 'SIGTERM' });
  });

  it('with no new enough Node and no registry, says in one line what to install (exit 1, no stack)', async () => {
    const closed = await freePort();
    const stranded = track(
      run(node, ['bin/launch.mjs', 'backend/main.ts', '--help'], {
        ...process.env,
        // Only the old Node (and npm when it sits beside it), an empty cache and a registry that refuses.
        PATH: dirname(node),
        SLUICE_CACHE: join(dir, 'empty-cache'),
        npm_config_registry: `http://127.0.0.1:${closed}/`,
        npm_config_fetch_retries: '0',
      }),
    );
    const { code } = await stranded.exited;
    const output = stranded.lines.join('\n');
    assert.equal(code, 1, output);
    assert.match(
      stranded.lines.at(-1) ?? '',
      /^Sluice needs Node\.js >= 22\.18 .*install Node\.js 24/,
      output,
    );
    assert.deepEqual(errorLines(stranded.lines), [], output);
  });
});
