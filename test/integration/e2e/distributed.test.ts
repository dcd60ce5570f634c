/**
 * Distributed Sluice end to end on the real engines (deploy/local): one sluice.yaml on Kafka, OpenSearch,
 * PostgreSQL and S3, run as three processes by role (`node backend/main.ts --roles …`): the gateway, the
 * workers (processor, indexer, metrics writer, archiver) and the query API with the retention and alerts
 * roles. The real agent ships the shop's log files to the gateway; everything is checked through the
 * query process's HTTP API, the retention dry run, and the engines themselves.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quietKnownWarnings } from '../../../backend/server/quietWarnings.ts';
import { openS3Archive } from '../../../backend/sinks/archive/openArchive.ts';
import { sha256Hex } from '../../../core/auth/apiKeys.ts';
import {
  engineSettings,
  type Isolation,
  isolate,
  isolatedEngines,
  requireEngines,
} from '../../helpers/engines.ts';
import {
  freePort,
  type NodeProcess,
  retentionDryRun,
  spawnNode,
  waitHealthy,
  waitUntil,
} from '../../helpers/nodeProcess.ts';
import { ingest, queryClient } from './harness/api.ts';
import {
  assertMasked,
  assertMetrics,
  assertSearches,
  assertTrace,
  measureTail,
  TAIL_BOUND_MS,
} from './harness/flow.ts';
import {
  agentYaml,
  appendLines,
  createLogFiles,
  type Line,
  lineNumbers,
  numbers,
  seedOldArchive,
  shopLines,
} from './harness/shop.ts';

// The isolation's kafkajs admin client warns on Node 24 like the server's (see quietWarnings.ts).
quietKnownWarnings();

const DAY = 86_400_000;
const SHOP_KEY = 'e2e-dist-shop-key';
const ROLES = {
  gateway: 'gateway',
  workers: 'processor,indexer,metrics,archiver',
  query: 'query,retention,alerts',
} as const;

describe('distributed Sluice end to end (Kafka, OpenSearch, PostgreSQL, S3; a process per role)', () => {
  let iso: Isolation;
  let dir: string;
  let config: string;
  const urls = { gateway: '', query: '', workers: '' };
  const procs: Partial<Record<keyof typeof ROLES | 'agent', NodeProcess>> = {};
  let api: ReturnType<typeof queryClient>;
  const lines: Line[] = [];
  const t0 = Date.now();
  const from = new Date(t0 - 60_000).toISOString();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const threeDays = t0 - 3 * DAY;
  const fiveDays = t0 - 5 * DAY;
  const logs = () =>
    Object.values(procs)
      .map((p) => `--- ${p?.name}\n${p?.logTail(15)}`)
      .join('\n');

  const start = async (role: keyof typeof ROLES) => {
    procs[role] = spawnNode(role, ['backend/main.ts', '--config', config, '--roles', ROLES[role]]);
    await waitHealthy(procs[role], urls[role], 180_000);
  };

  before(async () => {
    await requireEngines('kafka', 'opensearch', 'postgres', 's3');
    iso = isolate('e2e-distributed');
    await iso.s3().createBucket(iso.bucket);
    dir = await mkdtemp(join(tmpdir(), 'sluice-e2e-distributed-'));
    const ports = { gateway: await freePort(), query: await freePort(), workers: await freePort() };
    for (const role of Object.keys(ports) as Array<keyof typeof ports>)
      urls[role] = `http://127.0.0.1:${ports[role]}`;
    const engines = isolatedEngines(iso);
    config = join(dir, 'sluice.yaml');
    await writeFile(
      config,
      `listen: { gateway: "127.0.0.1:${ports.gateway}", query: "127.0.0.1:${ports.query}", metrics: "127.0.0.1:${ports.workers}" }
bus: ${JSON.stringify(engines.bus)}
search: ${JSON.stringify({ ...engines.search, shards: 1 })}
metrics: ${JSON.stringify(engines.metrics)}
archive: ${JSON.stringify(engines.archive)}
processing: { builtin_metrics: { size: 10s, allowed_lateness: 2s } }
retention: { search: 1d, archive: 4d, metrics: 90d, interval: 1h }
# Events 3 and 5 days old are sent as they are (a backfill), not filed under their arrival time.
limits: { event_time: { max_age: 6d } }
auth:
  keys:
    - { name: shop, key_sha256: ${sha256Hex(SHOP_KEY)}, tenant: shop, roles: [ingest, read] }
`,
    );
    // Workers first, so their consumer groups exist before anything is produced; the three start together.
    await Promise.all([start('workers'), start('gateway'), start('query')]);
    api = queryClient(urls.query, SHOP_KEY);
    // An hour archived 5 days ago (past archive retention now), seeded once the query process's
    // retention run at start-up is over.
    await waitUntil(
      'the first retention run',
      async () => {
        const text = await (await fetch(`${urls.query}/metrics`)).text();
        return /^sluice_retention_last_run_timestamp_seconds [1-9]/m.test(text) ? true : undefined;
      },
      30_000,
      logs,
    );
    const engines3 = engineSettings().s3;
    await seedOldArchive(openS3Archive({ ...engines3, bucket: iso.bucket, forcePathStyle: true }), fiveDays);

    const logDir = join(dir, 'logs');
    await mkdir(logDir);
    await createLogFiles(logDir);
    const agentConfig = join(dir, 'agent.yaml');
    await writeFile(
      agentConfig,
      agentYaml({ gatewayUrl: urls.gateway, key: SHOP_KEY, stateDir: join(dir, 'agent-state'), logDir }),
    );
    procs.agent = spawnNode('agent', ['agent/main.ts', '--config', agentConfig]);
    lines.push(...shopLines(t0));
    await appendLines(logDir, lines);
    const at = (ms: number, n: number, service: string, message: string) => ({
      ts: new Date(ms).toISOString(),
      service,
      msg: `${message} ln${n}`,
      correlation_id: 'req-old-1',
    });
    await ingest(urls.gateway, SHOP_KEY, [
      at(threeDays, 201, 'billing', 'nightly invoice run started'),
      at(threeDays + 1000, 202, 'ledger', 'nightly invoice posted'),
      at(fiveDays, 301, 'billing', 'ancient invoice run'),
    ]);
    await waitUntil(
      'every line indexed in OpenSearch',
      async () => ((await api.searchAll({ from, source: 'hot' })).length === lines.length ? true : undefined),
      60_000,
      logs,
    );
  });

  after(async () => {
    const failures: unknown[] = [];
    for (const name of ['agent', 'gateway', 'query', 'workers'] as const) {
      await procs[name]?.stop().catch((e) => failures.push(e));
    }
    await iso?.cleanup().catch((e) => failures.push(e));
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  });

  it('finds lines by word, phrase, field, level range and attribute', async () => {
    await assertSearches(api, lines, from);
  });

  it("traces one correlation ID across every service's events, in order", async () => {
    await assertTrace(api, lines, from);
  });

  it('keeps secrets out of the stores', async () => {
    await assertMasked(api, from);
  });

  it('tail sees a newly written line within a second, through Kafka', async () => {
    const write = async (line: Line) => {
      lines.push(line);
      await appendLines(join(dir, 'logs'), [line]);
    };
    const delays = await measureTail(urls.query, SHOP_KEY, 'payments', write, 110);
    console.log(`distributed tail delays (write → event on the stream): ${delays.join(', ')} ms`);
    assert.ok([...delays].sort((a, b) => a - b)[1] <= TAIL_BOUND_MS, `median of ${delays.join(', ')} ms`);
  });

  it('metrics in PostgreSQL match the counts of the lines written', async () => {
    await assertMetrics(api, lines, from, (what, probe, ms) => waitUntil(what, probe, ms, logs));
  });

  it('source=auto reads events older than hot retention from S3', async () => {
    const oldFrom = new Date(t0 - 6 * DAY).toISOString();
    await waitUntil(
      'the archiver writing the 3-day-old hour to S3 and skipping the 5-day-old event',
      async () => {
        const hits = await api.searchAll({ q: 'invoice', from: oldFrom, source: 'archive' });
        const skipped = /^sluice_archiver_expired_events_total (\d+)$/m.exec(
          await (await fetch(`${urls.workers}/metrics`)).text(),
        )?.[1];
        return lineNumbers(hits).join() === '201,202,311,312' && skipped === '1' ? true : undefined;
      },
      40_000,
      logs,
    );
    const auto = await api.searchAll({ q: 'invoice OR routine', from: oldFrom });
    assert.deepEqual(
      lineNumbers(auto),
      [...numbers(lines.filter((l) => l.message.startsWith('routine'))), 201, 202, 311, 312].sort(
        (a, b) => a - b,
      ),
    );
    const trace = await api.trace('req-old-1', { from: oldFrom });
    assert.deepEqual(
      trace.events.map((e) => Number(/ln(\d+)/.exec(e.message)?.[1])),
      [311, 312, 201, 202],
    );
  });

  it('retention drops the OpenSearch indices and S3 objects past their age, and only those', async () => {
    const index = (d: string) => `${iso.indexPrefix}-shop-${d.replaceAll('-', '.')}`;
    const indices = async () =>
      Object.keys((await iso.opensearch().indices.get({ index: `${iso.indexPrefix}-*` })).body).sort();
    const keys = async () => {
      const all: string[] = [];
      for await (const o of iso.s3().listAllObjects(iso.bucket)) all.push(o.key);
      return all.sort();
    };
    // The day(s) of the recent lines (two only when the test runs across midnight UTC).
    const recent = [...new Set(lines.map((l) => index(day(l.ts))))].sort();
    assert.deepEqual(await indices(), [index(day(fiveDays)), index(day(threeDays)), ...recent].sort());
    const before = await keys();
    const past = before.filter((k) => k.includes(`date=${day(fiveDays)}/`));
    assert.ok(before.some((k) => k.includes(`date=${day(threeDays)}/`)));
    assert.equal(past.length, 1);
    assert.match(past[0], /\/p99-0-1\.parquet$/, 'that day holds only the seeded file');

    const planned = await retentionDryRun(config);
    assert.deepEqual(planned('search'), [index(day(fiveDays)), index(day(threeDays))].sort());
    assert.deepEqual(planned('archive'), past);
    assert.equal((await indices()).length, 2 + recent.length, 'a dry run removes nothing');

    // Retention runs in the query process (the retention role), at start and every interval: restart it.
    await procs.query?.stop();
    await start('query');
    // The run starts once the process takes the retention lease and drops search, then archive units.
    await waitUntil(
      'retention at start-up',
      async () =>
        (await indices()).length === recent.length && !(await keys()).some((k) => past.includes(k))
          ? true
          : undefined,
      30_000,
      logs,
    );
    assert.deepEqual(await indices(), recent);
    assert.deepEqual(
      await keys(),
      before.filter((k) => !past.includes(k)),
    );
    const oldFrom = new Date(t0 - 6 * DAY).toISOString();
    assert.deepEqual(lineNumbers(await api.searchAll({ q: 'invoice', from: oldFrom })), [201, 202]);
    assert.equal((await api.searchAll({ from, source: 'hot' })).length, lines.length);
  });
});
