import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/waitFor.ts';
import { FakeGateway } from './fakeGateway.ts';

describe('agent shutdown on SIGTERM', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-shutdown-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('exits by itself after close(), with unacknowledged batches spooled and none acknowledged', async () => {
    const gateway = await new FakeGateway().start();
    gateway.answer = () => 'hang';
    const stateDir = join(root, 'state');
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'shutdownChild.ts'), gateway.url, stateDir, '800'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await waitFor('the child to send', () => output.includes('ready') && gateway.requests.length > 0);
    child.kill('SIGTERM');
    // No process.exit() in the child: it ends only when close() left nothing running.
    const code = await exited;
    await gateway.down();

    assert.equal(code, 0);
    const result = JSON.parse(output.split('\n')[1]) as {
      report: { spooled: number; kept: number };
      acked: number;
    };
    assert.equal(result.acked, 0);
    assert.equal(result.report.kept, 0);
    assert.ok(result.report.spooled > 0);
    assert.equal((await readdir(join(stateDir, 'spool'))).length, result.report.spooled);
  });
});
