/**
 * `listen.processes`: several gateway processes on one port (node:cluster), as real processes. A gateway
 * process killed with SIGKILL under load is replaced while the port keeps answering, every batch the port
 * acknowledged is stored, /metrics on the port covers every process, and SIGTERM drains them all. Once
 * standalone (embedded bus in the primary, records over IPC) and once on Kafka (a producer per process).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ROLE_NAMES } from '../../../backend/roles/table.ts';
import { engineSettings, type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type SluiceProcess, startSluice } from '../pipeline/harness/sluiceProcess.ts';
import { readTopic } from './harness/readTopic.ts';

const BATCH = 50;

/** Pids whose parent is `pid` (the gateway processes of a primary), from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked: not a child any more
    }
  }
  return children;
}

/** The pid of the process started with `arg` on its command line, if one runs. */
function pidWithArg(arg: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(arg)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Two senders posting batches of unique events until each sent `perSender`; `midway` runs once after the
 * first few. A refused or failed batch is sent again with the same ids (as the agent does), so every id
 * is acknowledged once at least; returns the ids and how many attempts failed.
 */
async function sendUnderLoad(url: string, label: string, perSender: number, midway: () => Promise<void>) {
  const ids: string[] = [];
  let failed = 0;
  let sent = 0;
  let triggered: Promise<void> | undefined;
  let lastError = '';
  const sender = async (s: number) => {
    for (let b = 0; b < perSender; b++) {
      const batch = Array.from({ length: BATCH }, (_, i) => ({
        id: `${label}-${s}-${b}-${i}`,
        message: `${label} event ${s} ${b} ${i}`,
        service: `svc-${i % 3}`,
      }));
      const body = `${batch.map((e) => JSON.stringify(e)).join('\n')}\n`;
      for (let attempt = 0; ; attempt++) {
        const status = await fetch(`${url}/api/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson' },
          body,
          signal: AbortSignal.timeout(30_000),
        }).then(
          async (res) => {
            await res.arrayBuffer();
            return res.status;
          },
          (error) => {
            lastError = String(error?.cause ?? error);
            return 0;
          },
        );
        if (status === 202) break;
        failed++;
        assert.ok(
          attempt < 20,
          `batch ${s}/${b} still refused after ${attempt} attempts (last ${status} ${lastError})`,
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      ids.push(...batch.map((e) => e.id));
      if (++sent === 4) triggered = midway();
    }
  };
  await Promise.all([sender(0), sender(1)]);
  await triggered;
  return { ids, failed };
}

/** One ingest request on a connection of its own (no keep-alive pool); its status. */
function postOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/v1/ingest`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/x-ndjson' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end('{"message":"one more","service":"svc-0"}\n');
  });
}

describe('gateway processes on one port', () => {
  let dir: string;
  let iso: Isolation | undefined;
  const processes: SluiceProcess[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-gw-processes-'));
  });

  after(async () => {
    for (const proc of processes) await proc.stop();
    await iso?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(
    name: string,
    config: Record<string, unknown>,
    roles: readonly string[],
    whileStarting?: (configFile: string) => Promise<void>,
  ) {
    const configFile = join(dir, `${name}.yaml`);
    await writeFile(configFile, stringify(config));
    const [proc] = await Promise.all([
      startSluice({ name, configFile, roles, dir }),
      whileStarting?.(configFile),
    ]);
    processes.push(proc);
    const until = (what: string, condition: () => Promise<boolean>) =>
      waitFor(what, condition, { timeoutMs: 60_000, intervalMs: 200, context: () => proc.logTail(30) });
    await until('two gateway processes', async () => childrenOf(proc.pid).length === 2);
    return { proc, until };
  }

  /** Kills one gateway process under load; the port keeps answering and a new process takes its place. */
  async function killOneUnderLoad(
    proc: SluiceProcess,
    until: (w: string, c: () => Promise<boolean>) => Promise<unknown>,
    label: string,
  ) {
    const [victim] = childrenOf(proc.pid);
    const sent = await sendUnderLoad(proc.url, label, 30, async () => {
      process.kill(victim, 'SIGKILL');
    });
    assert.ok(!alive(victim));
    await until('the killed gateway process replaced', async () => {
      const children = childrenOf(proc.pid);
      return children.length === 2 && !children.includes(victim);
    });
    await until('/metrics on the port to count the restart and both processes', async () => {
      return (
        (await proc.metric('sluice_gateway_process_restarts_total')) === 1 &&
        (await proc.metric('sluice_gateway_processes')) === 2
      );
    });
    // Each of these requests comes on a connection of its own, which the cluster hands to the processes
    // in turn: a scrape covering only the process that answers it would count about half of them.
    const before = await proc.metric('sluice_gateway_requests_total');
    for (let i = 0; i < 20; i++) assert.equal(await postOnNewConnection(proc.url), 202);
    assert.equal((await proc.metric('sluice_gateway_requests_total')) - before, 20);
    return sent;
  }

  async function stopDrains(proc: SluiceProcess) {
    const children = childrenOf(proc.pid);
    await proc.stop();
    assert.equal(proc.exitCode(), 0, proc.logTail(20));
    assert.deepEqual(children.filter(alive), [], 'no gateway process outlives the primary');
  }

  it('standalone: a gateway process killed under load is replaced, and every acknowledged event is searchable', async () => {
    const { proc, until } = await start(
      'standalone',
      {
        listen: { gateway: '127.0.0.1:0', processes: 2 },
        bus: { kind: 'embedded', dir: join(dir, 'bus'), partitions: 2 },
        search: { kind: 'sqlite', path: join(dir, 'search') },
        metrics: { kind: 'sqlite', path: join(dir, 'metrics.db') },
        archive: { kind: 'local', dir: join(dir, 'archive') },
      },
      ROLE_NAMES,
    );
    const { ids } = await killOneUnderLoad(proc, until, 'sa');
    assert.equal(new Set(ids).size, 2 * 30 * BATCH);
    // The query API is the primary's; the gateway processes pass it on.
    await until('every acknowledged event searchable through the port', async () => {
      const res = await fetch(`${proc.url}/api/v1/search?q=sa&from=now-1h&limit=1`);
      const body = (await res.json()) as { total: { value: number } };
      return body.total.value === ids.length;
    });
    // Passed on, a request is still counted under the route that served it, not the catch-all.
    const metrics = await (await fetch(`${proc.url}/metrics`)).text();
    assert.match(metrics, /^sluice_gateway_requests_total\{route="\/api\/v1\/search",status="200"\} [1-9]/m);
    assert.doesNotMatch(metrics, /^sluice_gateway_requests_total\{route="\/\*"/m);
    await stopDrains(proc);
  });

  /** Two gateway processes, each with its own Kafka producer. */
  const kafkaGateways = (topicPrefix: string) => ({
    listen: { gateway: '127.0.0.1:0', processes: 2 },
    bus: {
      kind: 'kafka',
      brokers: engineSettings().kafkaBrokers,
      topic_prefix: topicPrefix,
      partitions: 2,
      replication: 1,
    },
  });

  it('distributed: gateway processes with their own Kafka producers keep the port answering', async () => {
    await requireEngines('kafka');
    iso = isolate('gw-processes', ['kafka']);
    const { proc, until } = await start('kafka', kafkaGateways(iso.topicPrefix), ['gateway']);
    const { ids } = await killOneUnderLoad(proc, until, 'kf');
    await stopDrains(proc);
    const stored = await readTopic(iso.kafka(), `${iso.topicPrefix}logs.raw`, `${iso.groupPrefix}check`);
    const storedIds = new Set(stored.map((r) => r.event.id as string));
    assert.deepEqual(
      ids.filter((id) => !storedIds.has(id)),
      [],
      'every acknowledged event is in logs.raw',
    );
  });

  it('distributed: a gateway process killed before it listens is replaced, and the port comes up', async () => {
    await requireEngines('kafka');
    const startIso = isolate('gw-processes-start', ['kafka']);
    let victim: number | undefined;
    try {
      const { proc, until } = await start(
        'kafka-start',
        kafkaGateways(startIso.topicPrefix),
        ['gateway'],
        // The first gateway process, killed as soon as it is forked: loading takes it far longer.
        async (configFile) => {
          const primary = await waitFor('the primary process', async () => pidWithArg(configFile), {
            timeoutMs: 60_000,
            intervalMs: 10,
          });
          victim = await waitFor('a gateway process forked', async () => childrenOf(primary)[0], {
            timeoutMs: 60_000,
            intervalMs: 10,
          });
          process.kill(victim, 'SIGKILL');
        },
      );
      const log = readFileSync(join(dir, 'kafka-start.log'), 'utf8');
      assert.ok(
        !log
          .split('\n')
          .some((l) => l.includes('gateway process listening') && l.includes(`"pid":${victim}`)),
        'the killed process had not listened yet',
      );
      await until('the replacement counted', async () => {
        return (
          (await proc.metric('sluice_gateway_process_restarts_total')) === 1 &&
          (await proc.metric('sluice_gateway_processes')) === 2
        );
      });
      assert.equal(await postOnNewConnection(proc.url), 202);
      await stopDrains(proc);
    } finally {
      await startIso.cleanup();
    }
  });
});
