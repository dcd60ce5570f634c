import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/waitFor.ts';

const ROOT = join(import.meta.dirname, '../../..');
const DENO =
  process.env.SLUICE_DENO ??
  join(process.env.SLUICE_CACHE ?? join(homedir(), '.cache/sluice'), 'deno-2.9.6/node_modules/.bin/deno');

// The same code runs on Deno 2 (deno.json): the server process ingests and finds an event, and the agent
// answers --version, with no Node-only API in the way.
describe('Sluice on Deno 2', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  const port = 18_700 + Math.floor(Math.random() * 200);

  before(async () => {
    if (!existsSync(DENO))
      throw new Error(`Deno not found at ${DENO}: run deploy/local/deno.sh (or set SLUICE_DENO)`);
    dir = await mkdtemp(join(tmpdir(), 'sluice-deno-'));
    await writeFile(
      join(dir, 'sluice.yaml'),
      [
        `listen: { gateway: "127.0.0.1:${port}", metrics: "127.0.0.1:0" }`,
        `bus: { dir: ${JSON.stringify(join(dir, 'bus'))} }`,
        `search: { path: ${JSON.stringify(join(dir, 'search'))} }`,
        `metrics: { path: ${JSON.stringify(join(dir, 'metrics.db'))} }`,
        `archive: { dir: ${JSON.stringify(join(dir, 'archive'))} }`,
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    if (server !== undefined && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the standalone server: an ingested event is found by search', async () => {
    server = spawn(DENO, ['run', '-A', 'backend/main.ts', '--config', join(dir, 'sluice.yaml')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    server.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the server under Deno to answer',
      async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 100, retryOnError: true },
    ).catch((error) => {
      throw new Error(`${(error as Error).message}\n${stderr.slice(-2000)}`);
    });
    const res = await fetch(`${base}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify({ msg: 'hello from deno land', service: 'denotest', level: 'warn' })}\n`,
    });
    assert.equal(res.status, 202);
    const hits = await waitFor(
      'the event to be searchable',
      async () => {
        const page = (await (await fetch(`${base}/api/v1/search?q=deno%20land&from=now-5m`)).json()) as {
          hits: Array<{ service: string; level: string }>;
        };
        return page.hits.length > 0 ? page.hits : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, retryOnError: true },
    );
    assert.deepEqual(
      hits.map((h) => [h.service, h.level]),
      [['denotest', 'warn']],
    );
  });

  it('runs the agent entry point', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(DENO, ['run', '-A', 'agent/main.ts', '--version'], { cwd: ROOT });
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
    });
    assert.match(out, /^sluice-agent \d+\.\d+\.\d+/);
  });
});
