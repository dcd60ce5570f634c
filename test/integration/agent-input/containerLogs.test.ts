import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeAgentYaml } from '../../helpers/agentYaml.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { AGENT_MAIN, spawnAgent, startGateway, tempDir } from '../agent/agentHarness.ts';

type Gateway = Awaited<ReturnType<typeof startGateway>>;
const CONTAINER_ID = 'a'.repeat(64);

describe('Kubernetes container logs (format: cri, format: docker) through a real agent', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startGateway();
  });
  after(async () => {
    await gateway.close();
  });

  for (const format of ['cri', 'docker'] as const) {
    it(`${format}: joins partial lines, keeps the stream, names pod, namespace, container and container id`, async () => {
      const dir = await tempDir(`sluice-${format}-`);
      try {
        const containers = join(dir.path, 'var/log/containers');
        await mkdir(containers, { recursive: true });
        const file = join(containers, `checkout-7d9f_shop_app-${CONTAINER_ID}.log`);
        const long = `${'x'.repeat(3000)} password=hunter2 ${'y'.repeat(3000)}`;
        const lines =
          format === 'cri'
            ? [
                `2026-12-07T08:00:00.000000001Z stdout P ${long.slice(0, 2000)}`,
                '2026-12-07T08:00:00.000000002Z stderr F {"level":"error","msg":"between the parts"}',
                `2026-12-07T08:00:00.000000003Z stdout P ${long.slice(2000, 4000)}`,
                `2026-12-07T08:00:00.000000004Z stdout F ${long.slice(4000)}`,
                'not a cri line',
                '2026-12-07T08:00:00.000000005Z stderr P cut short: the runtime never wrote its F',
              ]
            : [
                JSON.stringify({
                  log: long.slice(0, 2000),
                  stream: 'stdout',
                  time: '2026-12-07T08:00:00.1Z',
                }),
                JSON.stringify({
                  log: '{"level":"error","msg":"between the parts"}\n',
                  stream: 'stderr',
                  time: '2026-12-07T08:00:00.2Z',
                }),
                JSON.stringify({
                  log: long.slice(2000, 4000),
                  stream: 'stdout',
                  time: '2026-12-07T08:00:00.3Z',
                }),
                JSON.stringify({
                  log: `${long.slice(4000)}\n`,
                  stream: 'stdout',
                  time: '2026-12-07T08:00:00.4Z',
                }),
                'not a docker line',
                JSON.stringify({
                  log: 'cut short: the runtime never wrote its end',
                  stream: 'stderr',
                  time: '2026-12-07T08:00:00.5Z',
                }),
              ];
        await writeFile(file, `${lines.join('\n')}\n`);
        const config = await writeAgentYaml({
          dir: dir.path,
          gateway,
          enrich: '{ kubernetes: on }',
          inputs: `  - type: file
    paths: ["${containers}/*.log"]
    service: k8s
    format: ${format}
    poll_interval: 50ms
    partial_line_timeout: 300ms`,
        });
        const agent = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
        await waitFor('4 events', () => gateway.events().length >= 4, {
          context: () => JSON.stringify(agent.logs().slice(-5)),
        });
        agent.child.kill('SIGTERM');
        assert.equal((await agent.exited).code, 0);
        const events = gateway.events();
        assert.equal(events.length, 4, 'the parts of the long message became one event');
        const attrs = (e: Record<string, unknown>) => e.attrs as Record<string, unknown>;
        const joined = events.find((e) => String(e.message).startsWith('xxx'));
        assert.ok(joined !== undefined);
        const message = String(joined.message);
        assert.ok(
          message.startsWith('x'.repeat(3000)) && message.endsWith('y'.repeat(3000)),
          'every part, in order',
        );
        assert.ok(!String(joined.message).includes('hunter2'), 'masked after joining');
        assert.equal(attrs(joined)['log.iostream'], 'stdout');
        assert.equal(attrs(joined)['k8s.pod.name'], 'checkout-7d9f');
        assert.equal(attrs(joined)['k8s.namespace.name'], 'shop');
        assert.equal(attrs(joined)['k8s.container.name'], 'app');
        assert.equal(attrs(joined)['container.id'], CONTAINER_ID);
        const between = events.find((e) => e.message === 'between the parts');
        assert.equal(between?.level, 'error', 'JSON content parsed');
        assert.equal(attrs(between ?? {})['log.iostream'], 'stderr');
        const bad = events.find((e) => String(e.message).startsWith('not a'));
        assert.match(String(attrs(bad ?? {})['sluice.parse_error']), new RegExp(`^${format}: `));
        // A message whose last part never came is sent after partial_line_timeout, flagged partial.
        const cut = events.find((e) => String(e.message).startsWith('cut short'));
        assert.equal(attrs(cut ?? {})['sluice.partial'], true);
        assert.equal(attrs(cut ?? {})['log.iostream'], 'stderr');
      } finally {
        gateway.bus.topics.clear();
        await dir.remove();
      }
    });
  }
});
