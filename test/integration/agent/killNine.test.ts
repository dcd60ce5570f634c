import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listen } from '../../../core/http/listen.ts';
import type { Bus, BusRecord, CommittedPosition, Consumer } from '../../../core/ports/bus.ts';
import { mulberry32 } from '../../../core/random/mulberry32.ts';
import { TEST_KEYS, testGateway } from '../../helpers/gatewayFixture.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { AGENT_MAIN, type AgentProcess, spawnAgent, tempDir } from './agentHarness.ts';

const LINES = 200_000;
/** Lines in the file before the first start; the rest are appended while the agent runs and dies. */
const FIRST_LINES = 120_000;
const KILLS = 4;
/** Seeded, so a failing run can be repeated: SLUICE_KILL9_SEED=<seed> node --test …/killNine.test.ts */
const SEED = Number(process.env.SLUICE_KILL9_SEED ?? 20261124);

/** Lines `[from, to)`: JSON with the line's number in `seq`; every 997th line is blank (no event). */
function lines(from: number, to: number): string {
  let text = '';
  for (let seq = from; seq < to; seq++) {
    text +=
      seq % 997 === 996
        ? '\n'
        : `{"ts":"2026-11-24T08:00:00.${String(seq % 1000).padStart(3, '0')}Z","level":"info","msg":"order ${seq} paid","seq":${seq}}\n`;
  }
  return text;
}
const expected = (seq: number) => seq % 997 !== 996;

/**
 * The bus behind the real gateway, keeping per line (by `seq`) how often it arrived and the id it
 * arrived with first, and every line that came again with another id.
 */
class DeliveryBus implements Bus {
  readonly deliveries = new Uint16Array(LINES);
  readonly firstId: Array<string | undefined> = new Array(LINES);
  readonly idChanges: Array<{ seq: number; first: string; again: string }> = [];
  distinct = 0;
  duplicates = 0;

  async ensureTopics(): Promise<void> {}

  async produce(_topic: string, records: BusRecord[]): Promise<void> {
    for (const record of records) {
      const event = JSON.parse(Buffer.from(record.value).toString('utf8')) as {
        id: string;
        attrs: { seq: number };
      };
      const seq = event.attrs.seq;
      if (this.deliveries[seq]++ === 0) {
        this.distinct++;
        this.firstId[seq] = event.id;
      } else {
        this.duplicates++;
        if (event.id !== this.firstId[seq])
          this.idChanges.push({ seq, first: String(this.firstId[seq]), again: event.id });
      }
    }
  }

  async consume(): Promise<Consumer> {
    throw new Error('not consumed in this test');
  }

  async committed(): Promise<CommittedPosition | null> {
    return null;
  }

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}

/** Waits for `check`, failing at once with the agent's last log lines when the agent exits first. */
function until(check: () => boolean, what: string, agent: AgentProcess, timeoutMs = 40_000): Promise<true> {
  const agentLog = () =>
    agent
      .logs()
      .slice(-10)
      .map((l) => JSON.stringify(l))
      .join('\n');
  return waitFor(
    `${what} (seed ${SEED})`,
    () => {
      if (agent.child.exitCode !== null)
        throw new Error(`the agent exited before ${what} (seed ${SEED}):\n${agentLog()}`);
      return check();
    },
    { timeoutMs, intervalMs: 5, context: () => `agent log:\n${agentLog()}` },
  );
}

describe('the agent process under kill -9', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let bus: DeliveryBus;
  let server: Awaited<ReturnType<typeof listen>>;

  before(async () => {
    dir = await tempDir('sluice-agent-kill9-');
    bus = new DeliveryBus();
    server = await listen(testGateway(bus).app.fetch, { address: '127.0.0.1:0', hasKeys: true });
  });
  after(async () => {
    await server?.close();
    await dir?.remove();
  });

  it(`delivers every line of a ${LINES.toLocaleString('en-US')}-line stream at least once, each always with the same id, through ${KILLS} kills at random moments`, async (t) => {
    const rand = mulberry32(SEED);
    const log = join(dir.path, 'app.log');
    await writeFile(log, lines(0, FIRST_LINES));
    const config = join(dir.path, 'agent.yaml');
    await writeFile(
      config,
      `gateway: { url: "${server.url}", api_key: "${TEST_KEYS.ingest}", compression: zstd }
state_dir: ${join(dir.path, 'state')}
batch: { max_events: 1000, max_wait: 50ms }
metrics: { listen: "127.0.0.1:0" }
enrich: { kubernetes: off }
inputs:
  - type: file
    paths: ["${log}"]
    service: checkout
    format: json
    poll_interval: 50ms
`,
    );
    const expectedLines = Array.from({ length: LINES }, (_, seq) => seq).filter(expected).length;
    let written = FIRST_LINES;
    const appendSlice = (LINES - FIRST_LINES) / KILLS;

    for (let kill = 0; kill < KILLS; kill++) {
      const agent = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
      // The file grows while the agent runs: the lines appended now are read by this run or a later one.
      await appendFile(log, lines(written, written + appendSlice));
      written += appendSlice;
      // Killed once a random share of what is still missing has arrived, so every kill lands mid-stream,
      // with batches in flight and acknowledgements not yet in the checkpoint file.
      const before = bus.distinct;
      const target = before + Math.ceil((expectedLines * (written / LINES) - before) * (0.1 + 0.5 * rand()));
      await until(() => bus.distinct >= target, `${target} lines before kill ${kill + 1}`, agent);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(rand() * 40)));
      agent.child.kill('SIGKILL');
      assert.deepEqual(await agent.exited, { code: null, signal: 'SIGKILL' });
      assert.ok(bus.distinct < expectedLines, `kill ${kill + 1} came before the end of the stream`);
    }

    const last = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
    await until(() => bus.distinct >= expectedLines, 'every line', last);
    last.child.kill('SIGTERM');
    assert.equal((await last.exited).code, 0);

    const missing: number[] = [];
    for (let seq = 0; seq < LINES; seq++) if (expected(seq) && bus.deliveries[seq] === 0) missing.push(seq);
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} lines never arrived (seed ${SEED})`);
    assert.equal(bus.distinct, expectedLines);
    assert.deepEqual(bus.idChanges.slice(0, 5), [], `a line sent again keeps the id it had (seed ${SEED})`);
    // The kills did cause resends (acknowledged lines not yet checkpointed are read again), so the ids
    // above were compared across deliveries, not just seen once.
    assert.ok(bus.duplicates > 0, `no line was delivered twice (seed ${SEED}): the kills tested nothing`);
    t.diagnostic(`seed ${SEED}: ${bus.distinct} lines, ${bus.duplicates} delivered again after a kill`);
    const ids = new Set(bus.firstId.filter((id) => id !== undefined));
    assert.equal(ids.size, expectedLines, 'every line has an id of its own');
  });
});
