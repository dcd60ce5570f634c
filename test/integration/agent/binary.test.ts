import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AGENT_VERSION } from '../../../agent/runtime/version.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { REPO, spawnAgent, startGateway, tempDir, writeAgentConfig } from './agentHarness.ts';

/** No node on PATH, nothing else in the environment: what a machine without Node gives the binary. */
const BARE_ENV = { PATH: '/nonexistent' };

describe('the single binary (npm run build:agent)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let binary: string;
  let gateway: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    dir = await tempDir('sluice-agent-binary-');
    binary = join(dir.path, 'sluice-agent');
    gateway = await startGateway();
    // Built into the temp dir, so the test never touches dist/. Async: the build takes a few seconds.
    const build = spawn(process.execPath, [join(REPO, 'agent/build/buildAgent.ts'), '--out', binary], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    build.stdout.on('data', (chunk) => {
      output += chunk;
    });
    build.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => build.once('exit', resolve));
    assert.equal(code, 0, `build:agent failed:\n${output}`);
  });
  after(async () => {
    await gateway?.close();
    await dir?.remove();
  });

  it('is one executable file that prints its version with no node installed beside it', async () => {
    assert.ok(((await stat(binary)).mode & 0o111) !== 0);
    const result = spawnSync(binary, ['--version'], { env: BARE_ENV, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `sluice-agent ${AGENT_VERSION}\n`);
  });

  it('starts on a config, ships a file, and stops cleanly on SIGTERM', async () => {
    const log = join(dir.path, 'logs', 'app.log');
    await mkdir(join(dir.path, 'logs'));
    await writeFile(log, '{"level":"error","msg":"card 4111 1111 1111 1111 declined"}\nplain line two\n');
    const config = await writeAgentConfig(dir.path, {
      gatewayUrl: gateway.url,
      key: gateway.key,
      logGlob: join(dir.path, 'logs', '*.log'),
      input: '    format: json',
    });
    // Asynchronously: the check sends the gateway, which runs in this process, an empty batch.
    const check = await new Promise<{ code: unknown; output: string }>((resolve) =>
      execFile(binary, ['--check-config', '-c', config], { env: BARE_ENV }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : error.code, output: `${stdout}${stderr}` }),
      ),
    );
    assert.equal(check.code, 0, check.output);

    const agent = spawnAgent(binary, ['-c', config], BARE_ENV);
    await agent.waitForLog((l) => l.message === 'agent started');
    await waitFor('2 events from the binary at the gateway', () => gateway.events().length >= 2);
    agent.child.kill('SIGTERM');
    assert.deepEqual(await agent.exited, { code: 0, signal: null });

    const events = gateway.events();
    assert.deepEqual(
      events.map((e) => [e.level, e.message]),
      [
        ['error', 'card [MASKED:credit_card] declined'],
        ['info', 'plain line two'],
      ],
    );
    assert.match(String((events[1].attrs as Record<string, unknown>)['sluice.parse_error']), /^json: /);
    const folder = join(dir.path, 'state', 'checkpoints');
    const [name] = await readdir(folder);
    const checkpoint = JSON.parse(await readFile(join(folder, name), 'utf8')) as {
      files: Record<string, { offset: number }>;
    };
    assert.deepEqual(
      Object.values(checkpoint.files).map((f) => f.offset),
      [(await stat(log)).size],
    );
  });
});
