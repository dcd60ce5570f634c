import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AGENT_ALLOCATOR_ENV, AGENT_V8_FLAGS } from '../../../agent/runtime/processTuning.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { AGENT_MAIN, REPO, spawnAgent, startGateway, tempDir, writeAgentConfig } from './agentHarness.ts';

type Gateway = Awaited<ReturnType<typeof startGateway>>;
type Dir = Awaited<ReturnType<typeof tempDir>>;

const jsonLines = (from: number, to: number) =>
  Array.from(
    { length: to - from },
    (_, i) => `{"level":"info","msg":"order ${from + i} paid password=pw${from + i}"}\n`,
  ).join('');

async function checkpointOffsets(dir: string): Promise<number[]> {
  const folder = join(dir, 'state', 'checkpoints');
  const offsets: number[] = [];
  for (const name of await readdir(folder)) {
    const doc = JSON.parse(await readFile(join(folder, name), 'utf8')) as {
      files: Record<string, { offset: number }>;
    };
    for (const entry of Object.values(doc.files)) offsets.push(entry.offset);
  }
  return offsets;
}

describe('the agent process (node agent/main.ts)', () => {
  let gateway: Gateway;
  let dir: Dir;
  before(async () => {
    gateway = await startGateway();
  });
  after(async () => {
    await gateway.close();
  });

  it('ships a file, stops on SIGTERM with exit 0 and checkpoints, and resumes after them', async () => {
    dir = await tempDir('sluice-agent-run-');
    try {
      const log = join(dir.path, 'app.log');
      await writeFile(log, jsonLines(0, 300));
      const config = await writeAgentConfig(dir.path, {
        gatewayUrl: gateway.url,
        key: gateway.key,
        logGlob: join(dir.path, '*.log'),
        input: '    format: json',
      });
      const first = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
      await first.waitForLog((l) => l.message === 'agent started');
      // It restarted itself in place (the same pid) with the settings that bound its memory.
      const proc = (file: string) => readFile(`/proc/${first.child.pid}/${file}`, 'utf8');
      const cmdline = (await proc('cmdline')).split('\0');
      assert.ok(
        AGENT_V8_FLAGS.every((flag) => cmdline.includes(flag)),
        cmdline.join(' '),
      );
      const environ = (await proc('environ')).split('\0');
      for (const [name, value] of Object.entries(AGENT_ALLOCATOR_ENV))
        assert.ok(environ.includes(`${name}=${value}`), name);
      await appendFile(log, jsonLines(300, 500));
      await waitFor('500 events at the gateway', () => gateway.events().length >= 500);
      first.child.kill('SIGTERM');
      assert.deepEqual(await first.exited, { code: 0, signal: null });
      assert.ok(first.logs().some((l) => l.message === 'agent stopped' && l.drained === true));

      const events = gateway.events();
      assert.equal(events.length, 500);
      assert.equal(new Set(events.map((e) => e.id)).size, 500, 'every event has its own id');
      assert.ok(events.every((e) => e.tenant === 'acme' && e.service === 'checkout' && e.env === 'test'));
      assert.ok(!JSON.stringify(events).includes('pw1'), 'secrets were masked before shipping');
      assert.deepEqual(await checkpointOffsets(dir.path), [(await stat(log)).size]);

      // A restart resumes at the checkpoint: only the new lines are sent.
      await appendFile(log, jsonLines(500, 520));
      const second = spawnAgent(process.execPath, [AGENT_MAIN, '-c', config]);
      await waitFor('520 events at the gateway', () => gateway.events().length >= 520);
      second.child.kill('SIGTERM');
      assert.equal((await second.exited).code, 0);
      const messages = gateway.events().map((e) => e.message);
      assert.equal(messages.length, 520);
      assert.equal(new Set(messages).size, 520, 'nothing was sent twice');
    } finally {
      gateway.bus.topics.clear();
      await dir.remove();
    }
  });

  it('sends a multi-line event still held at shutdown before exiting', async () => {
    dir = await tempDir('sluice-agent-multiline-');
    try {
      const config = await writeAgentConfig(dir.path, {
        gatewayUrl: gateway.url,
        key: gateway.key,
        logGlob: join(dir.path, '*.log'),
        // A long timeout: only the shutdown can send this event during the test.
        input: "    multiline: { start: '^\\d{4}-', timeout: 1h }",
      });
      const agent = spawnAgent(process.execPath, [AGENT_MAIN, '-c', config]);
      await agent.waitForLog((l) => l.message === 'agent started');
      await writeFile(
        join(dir.path, 'app.log'),
        '2026-11-23 12:00:00,101 ERROR boom\njava.lang.IllegalStateException: bad\n\tat a.b(C.java:1)\n',
      );
      const started = agent.logs().find((l) => l.message === 'agent started');
      const metricsUrl = String(started?.metrics);
      await waitFor('one multi-line event held', async () =>
        /sluice_agent_multiline_held_events\{[^}]*\} 1/.test(await (await fetch(metricsUrl)).text()),
      );
      assert.equal(gateway.events().length, 0, 'held, waiting for its next line');
      agent.child.kill('SIGTERM');
      assert.equal((await agent.exited).code, 0);
      const events = gateway.events();
      assert.equal(events.length, 1);
      assert.equal(String(events[0].message).split('\n').length, 3);
      assert.deepEqual(await checkpointOffsets(dir.path), [(await stat(join(dir.path, 'app.log'))).size]);
    } finally {
      gateway.bus.topics.clear();
      await dir.remove();
    }
  });

  it('reports health, lines read, events shipped and per-file lag', async () => {
    dir = await tempDir('sluice-agent-metrics-');
    try {
      await writeFile(join(dir.path, 'app.log'), 'one\ntwo\nthree\n');
      const config = await writeAgentConfig(dir.path, {
        gatewayUrl: gateway.url,
        key: gateway.key,
        logGlob: join(dir.path, '*.log'),
      });
      const agent = spawnAgent(process.execPath, [AGENT_MAIN, '-c', config]);
      const started = await agent.waitForLog((l) => l.message === 'agent started');
      const metricsUrl = String(started.metrics);
      await waitFor('3 events at the gateway', () => gateway.events().length >= 3);
      let text = '';
      await waitFor('3 events counted as shipped', async () => {
        text = await (await fetch(metricsUrl)).text();
        return text.includes('sluice_agent_ship_events_total 3');
      });
      assert.match(text, /^sluice_agent_lines_total\{input="0",service="checkout"\} 3$/m);
      assert.match(text, /^sluice_agent_read_bytes_total\{input="0",service="checkout"\} 14$/m);
      assert.match(text, /^sluice_agent_ship_events_total 3$/m);
      assert.match(
        text,
        /^sluice_agent_file_lag_bytes\{input="0",service="checkout",path="[^"]+app\.log"\} 0$/m,
      );
      assert.match(text, /^sluice_agent_spool_bytes 0$/m);
      const health = (await (await fetch(metricsUrl.replace('/metrics', '/healthz'))).json()) as Record<
        string,
        unknown
      >;
      assert.equal(health.status, 'ok');
      agent.child.kill('SIGINT');
      assert.equal((await agent.exited).code, 0);
    } finally {
      gateway.bus.topics.clear();
      await dir.remove();
    }
  });

  it('reads stdin to its end, ships it and exits 0', async () => {
    dir = await tempDir('sluice-agent-stdin-');
    try {
      const config = join(dir.path, 'agent.yaml');
      await writeFile(
        config,
        `gateway: { url: "${gateway.url}", api_key: "${gateway.key}" }
state_dir: ${join(dir.path, 'state')}
metrics: { listen: "127.0.0.1:0" }
enrich: { kubernetes: off }
inputs: [{ type: stdin, service: batch-job, format: logfmt }]
`,
      );
      // Not spawnSync: the gateway answering the agent runs in this process's event loop.
      const agent = spawnAgent(process.execPath, [AGENT_MAIN, '-c', config]);
      agent.child.stdin?.end('level=warn msg="step 1"\nlevel=error msg="step 2"\n');
      assert.equal((await agent.exited).code, 0);
      assert.ok(agent.logs().some((l) => l.message === 'every input ended; stopping'));
      assert.deepEqual(
        gateway.events().map((e) => [e.level, e.message, e.service]),
        [
          ['warn', 'step 1', 'batch-job'],
          ['error', 'step 2', 'batch-job'],
        ],
      );
    } finally {
      gateway.bus.topics.clear();
      await dir.remove();
    }
  });

  it('stops within its deadline with the gateway away, spooling what it could not send', async () => {
    dir = await tempDir('sluice-agent-away-');
    try {
      await writeFile(join(dir.path, 'app.log'), jsonLines(0, 50));
      const config = await writeAgentConfig(dir.path, {
        gatewayUrl: 'http://127.0.0.1:9', // discard port: nothing listens, every attempt fails
        key: gateway.key,
        logGlob: join(dir.path, '*.log'),
      });
      const agent = spawnAgent(process.execPath, [AGENT_MAIN, '-c', config, '--shutdown-timeout', '2s']);
      await agent.waitForLog((l) => l.message === 'agent started');
      await agent.waitForLog((l) => l.component === 'ship' && l.level !== 'info');
      agent.child.kill('SIGTERM');
      assert.equal((await agent.exited).code, 0);
      const stopped = agent.logs().find((l) => l.message === 'agent stopped');
      assert.equal(stopped?.drained, false);
      assert.ok(Number(stopped?.spooled) >= 1, 'the unsent batch went to the spool');
      assert.ok((await readdir(join(dir.path, 'state', 'spool'))).some((f) => f.endsWith('.batch')));
      // The spool sends them at the next start, so the checkpoint passed them: read again, they would
      // go out twice (outageStop.test.ts restarts and counts).
      assert.deepEqual(
        await checkpointOffsets(dir.path),
        [(await stat(join(dir.path, 'app.log'))).size],
        'the checkpoint accounts for what the spool holds',
      );
    } finally {
      await dir.remove();
    }
  });
});

describe('sluice-agent --check-config and --version', () => {
  it('passes the example agent.yaml of deploy/examples (the file alone: --no-environment)', () => {
    const result = spawnSync(
      process.execPath,
      [AGENT_MAIN, '--check-config', '--no-environment', '-c', join(REPO, 'deploy/examples/agent.yaml')],
      {
        env: { ...process.env, SLUICE_KEY: 'k-example' },
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /agent\.yaml: OK/);
  });

  it('prints every mistake with file:line and exits 2', async () => {
    const dir = await tempDir('sluice-agent-check-');
    try {
      const path = join(dir.path, 'agent.yaml');
      await writeFile(
        path,
        'gateway:\n  compresion: gzip\ninputs:\n  - type: file\n    paths: [/var/log/*.log]\n    format: yaml\n',
      );
      const result = spawnSync(process.execPath, [AGENT_MAIN, '--check-config', '-c', path], {
        encoding: 'utf8',
      });
      assert.equal(result.status, 2);
      assert.match(
        result.stderr,
        new RegExp(`${path}:2:3 gateway\\.compresion: unknown key .*did you mean "compression"`),
      );
      assert.match(
        result.stderr,
        new RegExp(`${path}:4:\\d+ inputs\\[0\\]\\.service: required key is missing`),
      );
      assert.match(result.stderr, new RegExp(`${path}:6:13 inputs\\[0\\]\\.format: expected one of`));
    } finally {
      await dir.remove();
    }
  });

  it('prints the package version', () => {
    const result = spawnSync(process.execPath, [AGENT_MAIN, '--version'], { encoding: 'utf8' });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^sluice-agent \d+\.\d+\.\d+\n$/);
  });
});
