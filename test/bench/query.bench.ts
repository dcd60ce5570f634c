/**
 * Query latency and freshness on the real local engines (deploy/local/up). Not a test.
 *
 *   npm run bench:query -- [--opensearch-events 10000000] [--sqlite-events 5000000] [--rate 50]
 *                          [--seconds 30] [--rounds 2] [--warmup 10] [--low-rate 5] [--freshness-samples 30]
 *                          [--agent-waits 250ms,1s] [--skip distributed,standalone,freshness]
 *                          [--keep] [--drop-kept] [--cpu-prof DIR] [--json FILE]
 *
 * 1. Load (test/bench/query/dataset.ts): realistic events of tenant `acme` over the last 24 hours into
 *    OpenSearch and into the SQLite store through the stores' own index(), and the built-in metric points
 *    for them into PostgreSQL and SQLite. With --keep the data goes under fixed names (index prefix
 *    `bench-query-keep`, schema `bench_query_keep`, `<tmp>/sluice-bench-query-keep/`) and is reused by the
 *    next --keep run with the same sizes; --drop-kept deletes it. Without --keep everything is deleted.
 * 2. Distributed: a `--roles query` process on OpenSearch + PostgreSQL; the mix of test/bench/query/mix.ts
 *    at --rate per second, open loop, latency from the scheduled send time; the same queries, built by the
 *    store's code, straight to OpenSearch at the same rate (the reference). Rounds alternate which goes
 *    first, so drift in the machine's other load hits both alike. Before that, one round per side at
 *    --low-rate (default 5/s): the latency of each kind without queueing, for comparison.
 * 3. Standalone: a `--roles query` process on the SQLite stores, the same mix at the same rate.
 * 4. Freshness: a line appended to a file the real agent tails until search finds it, for each agent
 *    batch.max_wait in --agent-waits: standalone (`backend/standalone/main.ts --config`, embedded bus,
 *    SQLite) and distributed (gateway, processor, indexer and query as four processes, Kafka, OpenSearch).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openPostgresMetricStore } from '../../backend/engines/metrics/postgres/postgresMetricStore.ts';
import { openSqliteMetricStore } from '../../backend/engines/metrics/sqlite/sqliteMetricStore.ts';
import { quietKnownWarnings } from '../../backend/server/quietWarnings.ts';
import { silentLogger } from '../../core/log/logger.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import { engineSettings, isolate, pgClient, requireEngines } from '../helpers/engines.ts';
import { countDocs, dropPrefix } from './pipeline/openSearch.ts';
import { type Child, cpuSeconds, enginePid, load1 } from './pipeline/processes.ts';
import { profileSummary } from './pipeline/profile.ts';
import { int, loadLine, log, machineLine } from './pipeline/report.ts';
import { type Dataset, loadOpenSearch, loadSqlite, waitForMerges } from './query/dataset.ts';
import { type FreshnessResult, measureFreshness } from './query/freshness.ts';
import { querySpec } from './query/mix.ts';
import { openLoop, openPool, percentile, type Sample } from './query/openLoop.ts';
import { type PhaseStats, renderReport } from './query/report.ts';
import {
  AUTH,
  distributedYaml,
  type Running,
  standaloneYaml,
  startAgent,
  startServer,
} from './query/servers.ts';

const { values } = parseArgs({
  options: {
    'opensearch-events': { type: 'string', default: '10000000' },
    'sqlite-events': { type: 'string', default: '5000000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '10' },
    'low-rate': { type: 'string', default: '5' },
    'freshness-samples': { type: 'string', default: '30' },
    'agent-waits': { type: 'string', default: '250ms,1s' },
    skip: { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
    'drop-kept': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    json: { type: 'string' },
  },
});

const OS_EVENTS = Number(values['opensearch-events']);
const SQLITE_EVENTS = Number(values['sqlite-events']);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const WARMUP = Number(values.warmup);
const LOW_RATE = Number(values['low-rate']);
const FRESH_SAMPLES = Number(values['freshness-samples']);
const AGENT_WAITS = values['agent-waits'].split(',').filter((w) => w.trim() !== '');
const SKIP = new Set(values.skip.split(',').map((s) => s.trim()));
const TENANT = 'acme';
const KEEP = {
  prefix: 'bench-query-keep',
  schema: 'bench_query_keep',
  dir: join(tmpdir(), 'sluice-bench-query-keep'),
};

interface Meta {
  opensearch: Dataset | null;
  sqlite: Dataset | null;
}

const { kafkaBrokers, opensearchUrl, pgUrl } = engineSettings();

async function dropKept(): Promise<void> {
  await dropKeptPart('opensearch');
  await rm(KEEP.dir, { recursive: true, force: true });
  log(`dropped ${KEEP.prefix}-*, schema ${KEEP.schema} and ${KEEP.dir}`);
}

/**
 * The kept data sets that match the sizes asked for (OpenSearch's only while it still holds them); each
 * store's part is reused or reloaded on its own.
 */
async function keptMeta(): Promise<Meta> {
  const kept: Meta = { opensearch: null, sqlite: null };
  try {
    const meta = JSON.parse(await readFile(join(KEEP.dir, 'meta.json'), 'utf8')) as Meta;
    if (
      OS_EVENTS > 0 &&
      meta.opensearch?.events === OS_EVENTS &&
      (await countDocs(opensearchUrl, KEEP.prefix)) === OS_EVENTS
    )
      kept.opensearch = meta.opensearch;
    if (SQLITE_EVENTS > 0 && meta.sqlite?.events === SQLITE_EVENTS) kept.sqlite = meta.sqlite;
  } catch {
    // No kept data (or unreadable): load everything.
  }
  return kept;
}

/** Drops one store's kept part before it is loaded again. */
async function dropKeptPart(part: keyof Meta): Promise<void> {
  if (part === 'opensearch') {
    await dropPrefix(opensearchUrl, KEEP.prefix);
    const sql = pgClient();
    try {
      await sql`DROP SCHEMA IF EXISTS ${sql(KEEP.schema)} CASCADE`;
    } finally {
      await sql.end({ timeout: 1 });
    }
  } else {
    await rm(join(KEEP.dir, 'search'), { recursive: true, force: true });
    await rm(join(KEEP.dir, 'metrics.db'), { force: true });
  }
}

async function load(
  names: { prefix: string; schema: string; dir: string },
  parts: Set<keyof Meta>,
): Promise<Meta> {
  const to = Math.floor(Date.now() / 60_000) * 60_000;
  const meta: Meta = { opensearch: null, sqlite: null };
  if (parts.has('opensearch')) {
    const pg: MetricStore = await openPostgresMetricStore({
      url: pgUrl,
      schema: names.schema,
      log: silentLogger,
    });
    try {
      await pg.init();
      log(
        `loading ${int(OS_EVENTS)} events into OpenSearch (${names.prefix}-*) and their metrics into ${names.schema}`,
      );
      meta.opensearch = await loadOpenSearch(opensearchUrl, names.prefix, {
        events: OS_EVENTS,
        tenant: TENANT,
        to,
        seed: 11,
        metrics: pg,
      });
      log(
        `  OpenSearch: ${int(OS_EVENTS / meta.opensearch.loadSeconds)} events/s, ${meta.opensearch.loadSeconds.toFixed(0)} s`,
      );
    } finally {
      await pg.close();
    }
  }
  if (parts.has('sqlite')) {
    await mkdir(names.dir, { recursive: true });
    const metrics = openSqliteMetricStore(join(names.dir, 'metrics.db'));
    try {
      await metrics.init();
      log(`loading ${int(SQLITE_EVENTS)} events into SQLite (${names.dir}/search)`);
      meta.sqlite = await loadSqlite(join(names.dir, 'search'), {
        events: SQLITE_EVENTS,
        tenant: TENANT,
        to,
        seed: 12,
        metrics,
      });
      log(
        `  SQLite: ${int(SQLITE_EVENTS / meta.sqlite.loadSeconds)} events/s, ${meta.sqlite.loadSeconds.toFixed(0)} s`,
      );
    } finally {
      await metrics.close();
    }
  }
  return meta;
}

/** Runs `run` while measuring the CPU cores a process (and OpenSearch) used and the load average. */
async function measured<T>(pid: number | null, run: () => Promise<T>) {
  const osPid = enginePid('opensearch');
  const c0 = pid === null ? 0 : cpuSeconds(pid);
  const o0 = osPid === null ? 0 : cpuSeconds(osPid);
  const loadStart = load1();
  const t0 = performance.now();
  const result = await run();
  const wall = (performance.now() - t0) / 1000;
  return {
    result,
    cores: pid === null ? null : (cpuSeconds(pid) - c0) / wall,
    openSearchCores: osPid === null ? null : (cpuSeconds(osPid) - o0) / wall,
    load: [loadStart, load1()] as [number, number],
    seconds: wall,
  };
}

function apiCheck(kind: string) {
  return (_status: number, text: string) => {
    const body = JSON.parse(text) as { hits?: unknown[]; events?: unknown[]; series?: unknown[] };
    if (kind === 'trace') return (body.events?.length ?? 0) > 0 ? null : 'trace found no events';
    // A range without events has no series; the answer's shape is what is checked.
    if (kind === 'histogram') return Array.isArray(body.series) ? null : 'no series array';
    return Array.isArray(body.hits) ? null : 'no hits array';
  };
}

function directCheck(kind: string) {
  return (_status: number, text: string) => {
    // filter_path drops empty arrays: no hits (or no buckets) leaves `{}` or `hits.total` only.
    const body = JSON.parse(text) as { hits?: { total?: unknown; hits?: unknown[] } };
    if (kind === 'trace') return (body.hits?.hits?.length ?? 0) > 0 ? null : 'trace found no events';
    if (kind === 'histogram') return null;
    return body.hits?.total !== undefined ? null : 'no hits.total';
  };
}

async function distributedPhase(
  dir: string,
  dataset: Dataset,
  names: { prefix: string; schema: string },
  topicPrefix: string,
) {
  const query = await startServer(
    'query',
    dir,
    distributedYaml(
      {
        brokers: kafkaBrokers,
        topicPrefix,
        opensearchUrl,
        indexPrefix: names.prefix,
        pgUrl,
        pgSchema: names.schema,
      },
      dir,
    ),
    ['query'],
    values['cpu-prof'],
  );
  const apiPool = openPool(query.url);
  const osPool = openPool(opensearchUrl);
  const api = (i: number, elapsed: number) => {
    const spec = querySpec(i, dataset, names.prefix, elapsed);
    return {
      kind: spec.kind,
      label: spec.label,
      method: 'GET' as const,
      path: spec.api,
      headers: AUTH,
      check: apiCheck(spec.kind),
    };
  };
  const direct = (i: number, elapsed: number) => {
    const spec = querySpec(i, dataset, names.prefix, elapsed);
    const d = spec.direct();
    return {
      kind: spec.kind,
      label: spec.label,
      method: 'POST' as const,
      path: d.path,
      body: JSON.stringify(d.body),
      headers: { 'content-type': 'application/json' },
      check: directCheck(spec.kind),
    };
  };
  try {
    // Warm-up (JIT, caches, connections) at the low rate: at the full rate an overloaded box would only
    // build a backlog that the first measured round then inherits.
    const warmRate = LOW_RATE > 0 ? LOW_RATE : RATE;
    log(`distributed: warm-up ${WARMUP} s each at ${warmRate}/s`);
    await openLoop(apiPool, warmRate, WARMUP, api);
    await openLoop(osPool, warmRate, WARMUP, direct);
    const sides: Record<'api' | 'direct' | 'lowApi' | 'lowDirect', PhaseStats> = {
      api: emptyStats(),
      direct: emptyStats(),
      lowApi: emptyStats(),
      lowDirect: emptyStats(),
    };
    if (LOW_RATE > 0) {
      for (const side of ['lowApi', 'lowDirect'] as const) {
        const m = await measured(side === 'lowApi' ? query.child.pid : null, () =>
          side === 'lowApi'
            ? openLoop(apiPool, LOW_RATE, SECONDS, api)
            : openLoop(osPool, LOW_RATE, SECONDS, direct),
        );
        accumulate(sides[side], m);
        log(
          `  ${LOW_RATE}/s ${side}: ${brief(m.result.samples)}, load ${m.load[0].toFixed(2)}→${m.load[1].toFixed(2)}`,
        );
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order: Array<'api' | 'direct'> = round % 2 === 0 ? ['api', 'direct'] : ['direct', 'api'];
      for (const side of order) {
        const m = await measured(side === 'api' ? query.child.pid : null, () =>
          side === 'api' ? openLoop(apiPool, RATE, SECONDS, api) : openLoop(osPool, RATE, SECONDS, direct),
        );
        accumulate(sides[side], m);
        log(
          `  round ${round + 1} ${side}: ${brief(m.result.samples)}, load ${m.load[0].toFixed(2)}→${m.load[1].toFixed(2)}`,
        );
      }
    }
    return sides;
  } finally {
    await apiPool.close();
    await osPool.close();
    await stopAll([query.child]);
  }
}

async function standalonePhase(dir: string, dataset: Dataset, dataDir: string) {
  const workDir = join(dir, 'standalone-query');
  await mkdir(workDir, { recursive: true });
  const query = await startServer(
    'query-sqlite',
    workDir,
    standaloneYaml(workDir, join(dataDir, 'search'), join(dataDir, 'metrics.db')),
    ['query'],
    values['cpu-prof'],
  );
  const pool = openPool(query.url);
  const api = (i: number, elapsed: number) => {
    const spec = querySpec(i, dataset, 'unused', elapsed);
    return {
      kind: spec.kind,
      label: spec.label,
      method: 'GET' as const,
      path: spec.api,
      headers: AUTH,
      check: apiCheck(spec.kind),
    };
  };
  try {
    const warmRate = LOW_RATE > 0 ? LOW_RATE : RATE;
    log(`standalone: warm-up ${WARMUP} s at ${warmRate}/s`);
    await openLoop(pool, warmRate, WARMUP, api);
    const low = emptyStats();
    if (LOW_RATE > 0) {
      const m = await measured(query.child.pid, () => openLoop(pool, LOW_RATE, SECONDS, api));
      accumulate(low, m);
      log(
        `  ${LOW_RATE}/s: ${brief(m.result.samples)}, load ${m.load[0].toFixed(2)}→${m.load[1].toFixed(2)}`,
      );
    }
    const stats = emptyStats();
    for (let round = 0; round < ROUNDS; round++) {
      const m = await measured(query.child.pid, () => openLoop(pool, RATE, SECONDS, api));
      accumulate(stats, m);
      log(
        `  round ${round + 1}: ${brief(m.result.samples)}, load ${m.load[0].toFixed(2)}→${m.load[1].toFixed(2)}`,
      );
    }
    return { main: stats, low };
  } finally {
    await pool.close();
    await stopAll([query.child]);
  }
}

function emptyStats(): PhaseStats {
  return {
    samples: [],
    cpuSeconds: 0,
    openSearchCpuSeconds: 0,
    cores: [],
    openSearchCores: [],
    loads: [],
    maxSendLagMs: 0,
    drainSeconds: 0,
  };
}

function accumulate(
  stats: PhaseStats,
  m: {
    result: { samples: Sample[]; maxSendLagMs: number; seconds: number };
    cores: number | null;
    openSearchCores: number | null;
    load: [number, number];
    seconds: number;
  },
): void {
  stats.samples.push(...m.result.samples);
  stats.cpuSeconds += (m.cores ?? 0) * m.seconds;
  stats.openSearchCpuSeconds += (m.openSearchCores ?? 0) * m.seconds;
  if (m.cores !== null) stats.cores.push(m.cores);
  if (m.openSearchCores !== null) stats.openSearchCores.push(m.openSearchCores);
  stats.loads.push(...m.load);
  stats.maxSendLagMs = Math.max(stats.maxSendLagMs, m.result.maxSendLagMs);
  stats.drainSeconds += m.result.seconds;
}

function brief(samples: Sample[]): string {
  const ok = samples
    .filter((s) => s.error === undefined)
    .map((s) => s.latencyMs)
    .sort((a, b) => a - b);
  const p = (q: number) => ok[Math.min(ok.length - 1, Math.ceil(q * ok.length) - 1)]?.toFixed(1);
  const errors = samples.length - ok.length;
  const first = samples.find((s) => s.error !== undefined)?.error;
  return `${samples.length} queries, p50 ${p(0.5)} / p95 ${p(0.95)} / p99 ${p(0.99)} ms, ${errors} errors${first ? ` (${first.slice(0, 120)})` : ''}`;
}

async function stopAll(children: Child[]): Promise<void> {
  await Promise.all(children.map((c) => c.stop(10_000).catch(() => null)));
}

async function freshnessStandalone(dir: string, maxWait: string, tag: string): Promise<FreshnessResult> {
  const work = await mkdtemp(join(dir, 'fresh-standalone-'));
  const children: Child[] = [];
  let pool: ReturnType<typeof openPool> | undefined;
  try {
    const server: Running = await startServer(
      'standalone',
      work,
      standaloneYaml(work, join(work, 'search'), join(work, 'metrics.db')),
      'standalone',
    );
    children.push(server.child);
    const file = join(work, 'app.log');
    await writeFile(file, '');
    children.push(await startAgent({ dir: work, gatewayUrl: server.url, file, maxWait }));
    pool = openPool(server.url);
    return await measureFreshness(pool, file, FRESH_SAMPLES, tag);
  } finally {
    await pool?.close();
    await stopAll(children.reverse());
  }
}

async function freshnessDistributed(
  dir: string,
  maxWait: string,
  tag: string,
  iso: { topicPrefix: string; indexPrefix: string; pgSchema: string },
): Promise<FreshnessResult> {
  const work = await mkdtemp(join(dir, 'fresh-distributed-'));
  const yaml = distributedYaml(
    {
      brokers: kafkaBrokers,
      topicPrefix: `${iso.topicPrefix}${tag}.`,
      opensearchUrl,
      indexPrefix: `${iso.indexPrefix}-${tag}`,
      pgUrl,
      pgSchema: iso.pgSchema,
    },
    work,
  );
  const children: Child[] = [];
  let pool: ReturnType<typeof openPool> | undefined;
  try {
    // The gateway first: it creates the topics the workers subscribe to.
    const gateway = await startServer('gateway', work, yaml, ['gateway']);
    children.push(gateway.child);
    const started = await Promise.all([
      startServer('processor', work, yaml, ['processor']),
      startServer('indexer', work, yaml, ['indexer']),
      startServer('query', work, yaml, ['query']),
    ]);
    children.push(...started.map((s) => s.child));
    const file = join(work, 'app.log');
    await writeFile(file, '');
    children.push(await startAgent({ dir: work, gatewayUrl: gateway.url, file, maxWait }));
    pool = openPool(started[2].url);
    return await measureFreshness(pool, file, FRESH_SAMPLES, tag);
  } finally {
    await pool?.close();
    await stopAll(children.reverse());
  }
}

async function main(): Promise<number> {
  if (values['drop-kept']) {
    await requireEngines('opensearch', 'postgres');
    await dropKept();
    return 0;
  }
  await requireEngines('kafka', 'opensearch', 'postgres');
  const iso = isolate('bench-query', ['kafka', 'opensearch', 'postgres']);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-query-'));
  const names = values.keep
    ? KEEP
    : { prefix: `${iso.indexPrefix}-data`, schema: iso.pgSchema, dir: join(dir, 'data') };
  try {
    log(`run ${iso.id}: ${machineLine()}; load ${loadLine()}`);
    const kept: Meta = values.keep ? await keptMeta() : { opensearch: null, sqlite: null };
    const missing = new Set<keyof Meta>();
    if (OS_EVENTS > 0 && kept.opensearch === null) missing.add('opensearch');
    if (SQLITE_EVENTS > 0 && kept.sqlite === null) missing.add('sqlite');
    for (const part of ['opensearch', 'sqlite'] as const)
      if (kept[part] !== null)
        log(`reusing the kept ${part} data (${KEEP.prefix}-*, ${KEEP.schema}, ${KEEP.dir})`);
    let meta = kept;
    if (missing.size > 0) {
      if (values.keep) for (const part of missing) await dropKeptPart(part);
      const loaded = await load(names, missing);
      meta = { opensearch: kept.opensearch ?? loaded.opensearch, sqlite: kept.sqlite ?? loaded.sqlite };
      if (values.keep) {
        await mkdir(KEEP.dir, { recursive: true });
        await writeFile(join(KEEP.dir, 'meta.json'), JSON.stringify(meta));
      }
    }
    if (meta.opensearch !== null) {
      const waited = await waitForMerges(opensearchUrl, names.prefix, 180_000);
      log(`merges settled after ${waited.toFixed(0)} s; load ${loadLine()}`);
    }

    // A phase that fails is reported as failed; the others still run and print.
    const failures: string[] = [];
    const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | null> => {
      try {
        return await run();
      } catch (error) {
        log(`${what} failed: ${(error as Error).stack ?? error}`);
        failures.push(`${what}: ${(error as Error).message.split('\n')[0].slice(0, 300)}`);
        return null;
      }
    };
    const osData = meta.opensearch;
    const sqliteData = meta.sqlite;
    const distributed =
      osData !== null && !SKIP.has('distributed')
        ? await attempt('distributed query phase', () =>
            distributedPhase(dir, osData, names, iso.topicPrefix),
          )
        : null;
    const standalone =
      sqliteData !== null && !SKIP.has('standalone')
        ? await attempt('standalone query phase', () => standalonePhase(dir, sqliteData, names.dir))
        : null;

    const freshness: Array<{ mode: string; maxWait: string; result: FreshnessResult }> = [];
    if (!SKIP.has('freshness')) {
      for (const [n, maxWait] of AGENT_WAITS.entries()) {
        for (const mode of ['standalone', 'distributed'] as const) {
          log(`freshness ${mode}, agent batch.max_wait ${maxWait}: ${FRESH_SAMPLES} probes`);
          const tag = `f${n}${mode === 'standalone' ? 's' : 'd'}${iso.id.slice(-8)}`;
          const result = await attempt(`freshness ${mode} ${maxWait}`, () =>
            mode === 'standalone'
              ? freshnessStandalone(dir, maxWait, tag)
              : freshnessDistributed(dir, maxWait, tag, iso),
          );
          if (result !== null) {
            freshness.push({ mode, maxWait, result });
            log(
              `  p50 ${percentile(result.latenciesMs, 50).toFixed(0)} / p95 ${percentile(result.latenciesMs, 95).toFixed(0)} ms, missed ${result.missed}, search errors while polling ${result.pollErrors}${result.firstPollError ? ` (${result.firstPollError})` : ''}`,
            );
          }
        }
      }
    }

    process.stdout.write(
      renderReport({
        machine: machineLine(),
        rate: RATE,
        lowRate: LOW_RATE,
        lowSeconds: SECONDS,
        seconds: SECONDS * ROUNDS,
        osEvents: meta.opensearch?.events ?? 0,
        sqliteEvents: meta.sqlite?.events ?? 0,
        distributed,
        standalone,
        freshness,
        failures,
      }),
    );
    if (values['cpu-prof'] !== undefined) {
      for (const name of ['query', 'query-sqlite']) {
        try {
          process.stdout.write(
            `\n${profileSummary(join(values['cpu-prof'], `${name}.cpuprofile`)).join('\n')}\n`,
          );
        } catch (error) {
          log(`no profile for ${name}: ${(error as Error).message}`);
        }
      }
    }
    if (values.json !== undefined)
      await writeFile(
        values.json,
        `${JSON.stringify({ run: iso.id, meta: { ...meta, opensearch: meta.opensearch && { ...meta.opensearch, traces: meta.opensearch.traces.length }, sqlite: meta.sqlite && { ...meta.sqlite, traces: meta.sqlite.traces.length } }, distributed, standalone, freshness }, null, 1)}\n`,
      );
    return 0;
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? error}`);
    return 2;
  } finally {
    try {
      await iso.cleanup();
      log(
        `cleaned up ${iso.id}${values.keep ? ` (the data stays: ${KEEP.prefix}-*, ${KEEP.schema}, ${KEEP.dir}; --drop-kept removes it)` : ''}`,
      );
    } catch (error) {
      log(`cleanup failed: ${(error as Error).message}`);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

quietKnownWarnings();
process.exitCode = await main();
