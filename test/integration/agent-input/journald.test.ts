import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { writeAgentYaml } from '../../helpers/agentYaml.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { AGENT_MAIN, spawnAgent, startGateway, tempDir } from '../agent/agentHarness.ts';

const run = promisify(execFile);
/** Debian's path; the package is in deploy/local/debian-packages. */
const JOURNAL_REMOTE = process.env.SLUICE_JOURNAL_REMOTE ?? '/lib/systemd/systemd-journal-remote';
type Gateway = Awaited<ReturnType<typeof startGateway>>;

let written = 0;
/**
 * Appends entries to a real journal file: systemd-journal-remote turns journal export format into a
 * journal, the same files journald writes (this machine runs no journald).
 */
async function appendEntries(dir: string, messages: string[]): Promise<void> {
  const export_ = messages
    .map((message, i) => {
      const n = ++written;
      return [
        `__REALTIME_TIMESTAMP=${1765094400000000 + n * 1000}`,
        `__MONOTONIC_TIMESTAMP=${n * 1000}`,
        '_BOOT_ID=0123456789abcdef0123456789abcdef',
        `MESSAGE=${message}`,
        `PRIORITY=${i % 2 === 0 ? 3 : 6}`,
        '_SYSTEMD_UNIT=kubelet.service',
        'SYSLOG_IDENTIFIER=kubelet',
        '_HOSTNAME=node-7',
        '_PID=4242',
        '',
        '',
      ].join('\n');
    })
    .join('');
  const file = join(dir, `entries-${written}.export`);
  await writeFile(file, export_);
  await run(JOURNAL_REMOTE, [`--output=${join(dir, 'journal', 'remote.journal')}`, file]);
}

describe('journald input (a real journal file, a real agent)', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startGateway();
  });
  after(async () => {
    await gateway.close();
  });

  it('follows the journal, maps its fields, and resumes after its checkpointed cursor', async () => {
    const dir = await tempDir('sluice-journald-');
    try {
      await run('mkdir', ['-p', join(dir.path, 'journal')]);
      await appendEntries(dir.path, ['kubelet started password=hunter2', 'pod synced', 'image pulled']);
      const config = await writeAgentYaml({
        dir: dir.path,
        gateway,
        inputs: `  - type: journald
    service: node
    directory: ${join(dir.path, 'journal')}
    start_at: beginning`,
      });
      const first = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
      await waitFor('3 entries', () => gateway.events().length >= 3, {
        context: () => JSON.stringify(first.logs().slice(-5)),
      });
      // Followed: entries written while the agent runs arrive too.
      await appendEntries(dir.path, ['volume mounted', 'probe failed']);
      await waitFor('5 entries', () => gateway.events().length >= 5);
      first.child.kill('SIGTERM');
      assert.equal((await first.exited).code, 0);

      const started = gateway.events().find((e) => String(e.message).startsWith('kubelet started'));
      assert.ok(started !== undefined);
      assert.equal(started.service, 'kubelet', '_SYSTEMD_UNIT without .service');
      assert.equal(started.level, 'error', 'PRIORITY 3');
      assert.equal(started.host, 'node-7');
      assert.equal(started.ts, '2025-12-07T08:00:00.001Z');
      const attrs = started.attrs as Record<string, unknown>;
      assert.equal(attrs['process.pid'], 4242);
      assert.equal(attrs['systemd.unit'], 'kubelet.service');
      assert.equal(gateway.events().find((e) => e.message === 'pod synced')?.level, 'info');
      assert.ok(!JSON.stringify(gateway.events()).includes('hunter2'), 'masked');
      const names = await readdir(join(dir.path, 'state', 'checkpoints'));
      const checkpoint = JSON.parse(await readFile(join(dir.path, 'state', 'checkpoints', names[0]), 'utf8'));
      assert.match(checkpoint.cursor, /;i=5;/, 'the cursor of the last entry acknowledged');

      // Written while the agent is down: read after the cursor, nothing before it again.
      await appendEntries(dir.path, ['node ready', 'eviction']);
      const second = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
      await waitFor('7 entries', () => gateway.events().length >= 7);
      second.child.kill('SIGTERM');
      assert.equal((await second.exited).code, 0);
      const messages = gateway.events().map((e) => String(e.message));
      assert.equal(messages.length, 7, messages.join(' | '));
      assert.equal(new Set(gateway.events().map((e) => e.id)).size, 7);
    } finally {
      gateway.bus.topics.clear();
      await dir.remove();
    }
  });
});
