import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listen } from '../../../core/http/listen.ts';
import { freePort } from '../../helpers/freePort.ts';
import { TEST_KEYS, testGateway } from '../../helpers/gatewayFixture.ts';
import { RecordingBus } from '../../helpers/recordingBus.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { AGENT_MAIN, spawnAgent, tempDir, writeAgentConfig } from './agentHarness.ts';

const LINES = 10_000;
const lines = (count: number) =>
  Array.from({ length: count }, (_, i) => `order ${i} paid after a retry\n`).join('');

async function spoolFiles(dir: string): Promise<number> {
  const names = await readdir(join(dir, 'state', 'spool')).catch(() => []);
  return names.filter((name) => name.endsWith('.batch')).length;
}

/** The real gateway app on a fixed loopback port, which can go away (port closed) and come back. */
async function outageGateway() {
  const port = await freePort();
  const bus = new RecordingBus();
  const app = testGateway(bus).app;
  let server: { close(): Promise<void> } | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    key: TEST_KEYS.ingest,
    events: () => bus.values('logs.raw'),
    async up() {
      server = await listen(app.fetch, { address: `127.0.0.1:${port}`, hasKeys: true });
    },
    async down() {
      await server?.close();
      server = undefined;
    },
  };
}

describe('the agent through a gateway outage (real processes)', () => {
  let gateway: Awaited<ReturnType<typeof outageGateway>>;
  before(async () => {
    gateway = await outageGateway();
  });
  after(async () => {
    await gateway.down();
  });

  it('stopped with SIGTERM during an outage and restarted, sends every line once, soon after the gateway is back', async () => {
    const dir = await tempDir('sluice-agent-outage-');
    const agents: Array<ReturnType<typeof spawnAgent>> = [];
    try {
      await writeFile(join(dir.path, 'app.log'), lines(LINES));
      const config = await writeAgentConfig(dir.path, {
        gatewayUrl: gateway.url,
        key: gateway.key,
        logGlob: join(dir.path, '*.log'),
        extra: 'log: { level: debug }',
      });
      // The gateway is away (its port closed): connections are refused.
      const first = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
      agents.push(first);
      // 100 lines a batch; a few batches per lane stay in memory, the rest go to the spool.
      await waitFor(
        'the outage to fill the spool',
        async () => (await spoolFiles(dir.path)) >= LINES / 100 - 20,
        {
          context: () => JSON.stringify(first.logs().slice(-5)),
        },
      );
      first.child.kill('SIGTERM');
      assert.deepEqual(await first.exited, { code: 0, signal: null });
      const stopped = first.logs().find((l) => l.message === 'agent stopped');
      assert.equal(stopped?.kept, 0, 'every batch went to the spool');
      assert.equal(gateway.events().length, 0);

      const second = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
      agents.push(second);
      await second.waitForLog((l) => l.message === 'sending batches spooled by an earlier run');
      // Long enough for the backoff to grow past what a probe saves.
      await second.waitForLog((l) => l.message === 'gateway did not take a batch; retrying');
      await new Promise((resolve) => setTimeout(resolve, 8000));
      await gateway.up();
      const back = performance.now();
      await waitFor('the first event after the outage', () => gateway.events().length > 0);
      const resumedMs = performance.now() - back;
      await waitFor(`${LINES} events`, () => gateway.events().length >= LINES);
      second.child.kill('SIGTERM');
      assert.deepEqual(await second.exited, { code: 0, signal: null });

      const events = gateway.events();
      assert.equal(events.length, LINES, 'each line sent once: from the spool, not read again');
      assert.equal(new Set(events.map((e) => e.id)).size, LINES);
      // The figure docs/agent-shipping.md quotes; the bound is generous (2 cores shared by many).
      console.log(`resumed ${Math.round(resumedMs)} ms after the gateway was back`);
      assert.ok(resumedMs < 20_000, `resumed ${Math.round(resumedMs)} ms after the gateway was back`);
    } finally {
      // A failed assertion must not leave an agent running (the test runner would wait for it).
      for (const agent of agents) if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
      await dir.remove();
    }
  });
});
