/**
 * Standalone Sluice end to end: the real standalone runner (`node backend/standalone/main.ts --config`,
 * embedded bus, SQLite search and metrics, local archive) and the real agent tailing files, checked only
 * through the HTTP API, the CLI and the files on disk.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLocalArchive } from '../../../backend/sinks/archive/openArchive.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { type NodeProcess, retentionDryRun, spawnNode, waitUntil } from '../../helpers/nodeProcess.ts';
import { type StandaloneSluice, startStandalone } from '../../helpers/standalone.ts';
import { ingest, queryClient } from './harness/api.ts';
import {
  assertMasked,
  assertMetrics,
  assertSearches,
  assertTrace,
  cliSearch,
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

const DAY = 86_400_000;
const SHOP_KEY = 'e2e-shop-key';
const OTHER_KEY = 'e2e-other-key';

describe('standalone Sluice end to end', () => {
  let dir: string;
  let config: string;
  let url: string;
  let sluice: StandaloneSluice;
  let agent: NodeProcess;
  let api: ReturnType<typeof queryClient>;
  const lines: Line[] = [];
  const t0 = Date.now();
  const from = new Date(t0 - 60_000).toISOString();
  /** 3 days old (archived, kept), 5 days old (ingested now: past archive retention), seeded 5-day-old archive. */
  let old: { kept: number[]; late: number[]; seeded: number[]; days: { kept: string; dropped: string } };

  before(async () => {
    sluice = await startStandalone('e2e-standalone', {
      keys: [
        { name: 'shop', key: SHOP_KEY, tenant: 'shop', roles: ['ingest', 'read'] },
        { name: 'other', key: OTHER_KEY, tenant: 'other', roles: ['read'] },
      ],
      yaml: `processing: { builtin_metrics: { size: 10s, allowed_lateness: 2s } }
# Runs at start and then hourly: in this test only at start (the restart below triggers it).
retention: { search: 1d, archive: 4d, metrics: 90d, interval: 1h }
# Events 3 and 5 days old are sent as they are (a backfill), not filed under their arrival time.
limits: { event_time: { max_age: 6d } }`,
    });
    ({ dir, config, url } = sluice);
    const threeDays = t0 - 3 * DAY;
    const fiveDays = t0 - 5 * DAY;
    api = queryClient(url, SHOP_KEY);
    // Seeded once the retention run at start-up is over (it would drop the file at once).
    await waitUntil(
      'the first retention run',
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return /^sluice_retention_last_run_timestamp_seconds [1-9]/m.test(text) ? true : undefined;
      },
      20_000,
      () => sluice.server.logTail(20),
    );
    const seeded = await seedOldArchive(openLocalArchive(join(dir, 'data/archive')), fiveDays);

    const logs = join(dir, 'logs');
    await mkdir(logs);
    await createLogFiles(logs);
    const agentConfig = join(dir, 'agent.yaml');
    await writeFile(
      agentConfig,
      agentYaml({ gatewayUrl: url, key: SHOP_KEY, stateDir: join(dir, 'agent-state'), logDir: logs }),
    );
    agent = spawnNode('agent', ['agent/main.ts', '--config', agentConfig]);
    lines.push(...shopLines(t0));
    await appendLines(logs, lines);

    // Events older than hot retention (1d), straight to the gateway: 3 days old (archived at the
    // archiver's next 10 s tick, kept: archive retention is 4d) and 5 days old (past archive retention:
    // indexed, but never archived).
    const at = (ms: number, n: number, service: string, message: string) => ({
      ts: new Date(ms).toISOString(),
      service,
      level: 'info',
      msg: `${message} ln${n}`,
      correlation_id: 'req-old-1',
    });
    await ingest(url, SHOP_KEY, [
      at(threeDays, 201, 'billing', 'nightly invoice run started'),
      at(threeDays + 1000, 202, 'ledger', 'nightly invoice posted'),
      at(threeDays + 2000, 203, 'billing', 'nightly invoice run finished'),
      at(fiveDays, 301, 'billing', 'ancient invoice run'),
      at(fiveDays + 1000, 302, 'billing', 'ancient invoice posted'),
    ]);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    old = {
      kept: [201, 202, 203],
      late: [301, 302],
      seeded: lineNumbers(seeded),
      days: { kept: day(threeDays), dropped: day(fiveDays) },
    };

    await waitUntil(
      'the agent shipping every line',
      async () => ((await api.searchAll({ from, source: 'hot' })).length === lines.length ? true : undefined),
      30_000,
      () => `${agent.logTail(20)}\n${sluice.server.logTail(20)}`,
    );
  });

  after(async () => {
    await agent?.stop();
    await sluice?.stop();
  });

  it('finds lines by word, phrase, field, level range and attribute', async () => {
    await assertSearches(api, lines, from);
  });

  it('the CLI finds the same events as the API', async () => {
    const printed = await cliSearch(url, SHOP_KEY, 'service:orders level>=warn', from);
    const events = printed.map((l) => JSON.parse(l) as LogEvent);
    assert.deepEqual(
      lineNumbers(events),
      numbers(lines.filter((l) => l.service === 'orders' && ['warn', 'error', 'fatal'].includes(l.level))),
    );
  });

  it("traces one correlation ID across every service's events, in order", async () => {
    await assertTrace(api, lines, from);
  });

  it('keeps secrets out of the stores', async () => {
    await assertMasked(api, from);
  });

  it("another tenant's key sees none of it, and errors answer with their codes", async () => {
    const other = queryClient(url, OTHER_KEY);
    assert.deepEqual(await other.searchAll({ from, q: '*' }), []);
    assert.equal((await other.get('/api/v1/trace/req-e2e-1', { from })).status, 404);
    assert.equal((await other.get('/api/v1/search', { tenant: 'shop' })).status, 403);
    const anonymous = await queryClient(url, null).get('/api/v1/search');
    assert.equal(anonymous.status, 401);
    assert.equal((anonymous.body as { error: { code: string } }).error.code, 'missing_key');
    const bad = await api.get('/api/v1/search', { q: 'level>=loud' });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { error: { code: string } }).error.code, 'query_syntax');
  });

  it('tail sees a newly written line within a second', async () => {
    const write = async (line: Line) => {
      lines.push(line);
      await appendLines(join(dir, 'logs'), [line]);
    };
    const delays = await measureTail(url, SHOP_KEY, 'web', write, 100);
    console.log(`standalone tail delays (write → event on the stream): ${delays.join(', ')} ms`);
    assert.ok([...delays].sort((a, b) => a - b)[1] <= TAIL_BOUND_MS, `median of ${delays.join(', ')} ms`);
  });

  it('metrics match the counts of the lines written', async () => {
    await assertMetrics(api, lines, from, (what, probe, ms) =>
      waitUntil(what, probe, ms, () => sluice.server.logTail(20)),
    );
  });

  it('source=auto reads events older than hot retention from the archive', async () => {
    const oldFrom = new Date(t0 - 6 * DAY).toISOString();
    const oldTo = new Date(t0 - DAY).toISOString();
    const archived = [...old.seeded, ...old.kept].sort((a, b) => a - b);
    await waitUntil(
      'the archiver writing the 3-day-old hour and skipping the 5-day-old events',
      async () => {
        const hits = await api.searchAll({ q: 'invoice', from: oldFrom, to: oldTo, source: 'archive' });
        const skipped = /^sluice_archiver_expired_events_total (\d+)$/m.exec(
          await (await fetch(`${url}/metrics`)).text(),
        )?.[1];
        return lineNumbers(hits).join() === archived.join() && skipped === '2' ? true : undefined;
      },
      40_000,
      () => sluice.server.logTail(20),
    );
    // The search store still holds every old event until retention runs.
    assert.deepEqual(
      lineNumbers(await api.searchAll({ q: 'invoice', from: oldFrom, to: oldTo, source: 'hot' })),
      [...old.kept, ...old.late],
    );
    const auto = await api.searchAll({ from: oldFrom, q: 'invoice OR routine' });
    assert.deepEqual(
      lineNumbers(auto),
      [...numbers(lines.filter((l) => l.message.startsWith('routine'))), ...archived].sort((a, b) => a - b),
    );
    // Newest first across the boundary: the recent (hot) hits, then the archived ones.
    const order = auto.map((e) => Date.parse(e.ts));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => b - a),
    );
    const trace = await api.trace('req-old-1', { from: oldFrom });
    assert.deepEqual(
      trace.events.map((e) => Number(/ln(\d+)/.exec(e.message)?.[1])),
      [...old.seeded, ...old.kept],
    );
  });

  it('retention removes exactly what is past its age: a dry run lists it, a run removes it', async () => {
    const searchDir = join(dir, 'data/search');
    const archiveDir = join(dir, 'data/archive');
    const dbFiles = async () => (await readdir(searchDir)).filter((f) => f.endsWith('.db')).sort();
    // The day(s) of the recent lines (two only when the test runs across midnight UTC).
    const recent = [...new Set(lines.map((l) => new Date(l.ts).toISOString().slice(0, 10)))];
    const isRecent = (key: string) => recent.some((d) => key.includes(`date=${d}/`));
    const dayFile = (d: string) => `events-shop-${d}.db`;
    const recentFiles = recent.map(dayFile).sort();
    assert.deepEqual(
      await dbFiles(),
      [dayFile(old.days.dropped), dayFile(old.days.kept), ...recentFiles].sort(),
    );
    const archivedBefore = await listFiles(archiveDir);
    const droppedKeys = archivedBefore.filter((k) => k.includes(`date=${old.days.dropped}/`));
    assert.ok(archivedBefore.some((k) => k.includes(`date=${old.days.kept}/`)));
    assert.equal(droppedKeys.length, 1);
    assert.match(droppedKeys[0], /\/p99-0-1\.parquet$/, 'that day holds only the seeded file');

    const planned = await retentionDryRun(config);
    assert.deepEqual(planned('search'), [dayFile(old.days.dropped), dayFile(old.days.kept)].sort());
    assert.deepEqual(
      planned('archive')
        .map((k) => k.replace(/^\/+/, ''))
        .sort(),
      droppedKeys.sort(),
    );
    assert.deepEqual(planned('metrics'), []);
    assert.equal((await dbFiles()).length, 2 + recentFiles.length, 'a dry run removes nothing');
    assert.deepEqual(await listFiles(archiveDir), archivedBefore);

    // The job runs at start: restart the server (the agent is done) and wait for it.
    await agent.stop();
    await sluice.restart();
    // The run starts once the server takes the retention lease and drops search, then archive units.
    await waitUntil(
      'retention at start-up',
      async () =>
        (await dbFiles()).length === recentFiles.length &&
        !(await listFiles(archiveDir)).some((k) => droppedKeys.includes(k))
          ? true
          : undefined,
      20_000,
      () => sluice.server.logTail(20),
    );
    assert.deepEqual(await dbFiles(), recentFiles);
    const archivedAfter = await listFiles(archiveDir);
    assert.deepEqual(
      archivedAfter.filter((k) => !isRecent(k)),
      archivedBefore.filter((k) => !droppedKeys.includes(k) && !isRecent(k)),
      'archive objects older than 4 days gone, the rest kept',
    );
    assert.ok(archivedAfter.some(isRecent), 'stopping flushed the current hour');

    const oldFrom = new Date(t0 - 6 * DAY).toISOString();
    const oldTo = new Date(t0 - DAY).toISOString();
    // Nothing past archive retention came back, though the archiver replayed from its held-back commit.
    assert.deepEqual(lineNumbers(await api.searchAll({ from: oldFrom, to: oldTo, q: 'invoice' })), old.kept);
    assert.deepEqual(await api.searchAll({ from: oldFrom, to: oldTo, source: 'hot' }), []);
    // The hot store and the metrics kept everything younger than their periods.
    assert.equal((await api.searchAll({ from, source: 'hot' })).length, lines.length);
    const logs = await api.metrics({ name: 'log_count', from });
    assert.equal(
      logs.series.reduce((n, s) => n + s.points.reduce((m, [, v]) => m + (v ?? 0), 0), 0),
      lines.length,
    );
  });
});

async function listFiles(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}
