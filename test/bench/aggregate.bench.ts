/**
 * Aggregation benchmark (issue 14.1) on the real local engines. Not a test.
 *
 *   npm run bench:aggregate -- [--opensearch-events 300000] [--sqlite-events 300000] [--rate 5] [--seconds 30]
 *                              [--archive-days 30] [--archive-events-per-hour 2000] [--skip opensearch,sqlite,archive]
 *
 * 1. Histogram: the web UI's `| stats count() by bucket(), level` over the last 24 hours (60+ buckets),
 *    at --rate per second (open loop, latency from the scheduled send), through each store's
 *    `aggregate()` (compile, engine, merge, finish: everything but HTTP), on the query benchmark's data
 *    (test/bench/query/dataset.ts: realistic events over 24 h, loaded through the stores' own index()).
 *    OpenSearch reuses the query benchmark's kept indices (`bench-query-keep-*`) when they hold exactly
 *    --opensearch-events events. The reference is the same aggregation body sent straight to OpenSearch.
 * 2. Archive report: --archive-days of hourly Parquet files (realistic events, local archive), then
 *    `| stats count() by bucket(1d), level` and `level>=warn | stats count(), p95(http.duration_ms) by service`
 *    over the whole span through the archive aggregator (row groups pruned by time), with progress.
 * Prints p50/p95/p99, CPU seconds per query (this process, and OpenSearch's), load average beside each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteMetricStore } from '../../backend/engines/metrics/sqlite/sqliteMetricStore.ts';
import { aggregateAggs } from '../../backend/engines/search/opensearch/compileOpenSearchAggregate.ts';
import { searchTargets } from '../../backend/engines/search/opensearch/dailyIndices.ts';
import { openOpenSearchStore } from '../../backend/engines/search/opensearch/openSearchStore.ts';
import { filterOf } from '../../backend/engines/search/opensearch/searchBody.ts';
import { openSqliteSearchStore } from '../../backend/engines/search/sqlite/sqliteSearchStore.ts';
import { aggregateArchive } from '../../backend/query/archiveAggregate.ts';
import { openLocalArchive } from '../../backend/sinks/archive/openArchive.ts';
import { realisticEvents } from '../../backend/sinks/archive/testing/realisticEvents.ts';
import { silentLogger } from '../../core/log/logger.ts';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import { finishAggregate, parsePipeline, planAggregate } from '../../core/query/aggregate/index.ts';
import { compileToPredicate } from '../../core/query/index.ts';
import { engineSettings, requireEngines } from '../helpers/engines.ts';
import { countDocs } from './pipeline/openSearch.ts';
import { cpuSeconds, enginePid, load1 } from './pipeline/processes.ts';
import { int, log, machineLine } from './pipeline/report.ts';
import { DAY, loadOpenSearch, loadSqlite } from './query/dataset.ts';

const { values } = parseArgs({
  options: {
    'opensearch-events': { type: 'string', default: '300000' },
    'sqlite-events': { type: 'string', default: '300000' },
    rate: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '30' },
    'archive-days': { type: 'string', default: '30' },
    'archive-events-per-hour': { type: 'string', default: '2000' },
    skip: { type: 'string', default: '' },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const SKIP = new Set(values.skip.split(','));
const HISTOGRAM = '| stats count() by bucket(), level';
const KEPT_PREFIX = 'bench-query-keep';
const HOUR = 3_600_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Open loop: request i is due at i / rate s; its latency counts from then, so queueing shows. */
async function openLoop(run: (i: number) => Promise<unknown>) {
  const total = Math.round(RATE * SECONDS);
  const started = performance.now();
  const latencies: number[] = [];
  const pending: Array<Promise<void>> = [];
  const cpu0 = process.cpuUsage();
  const osPid = enginePid('opensearch');
  const os0 = osPid === null ? 0 : cpuSeconds(osPid);
  const load = [load1(), 0];
  let failures = 0;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      run(i).then(
        () => void latencies.push(performance.now() - due),
        (error) => {
          failures++;
          if (failures === 1) log(`  failed: ${(error as Error).message}`);
        },
      ),
    );
  }
  await Promise.all(pending);
  load[1] = load1();
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    n: latencies.length,
    failures,
    cpuPerQuery: (cpu.user + cpu.system) / 1e6 / total,
    osCpuPerQuery: osPid === null ? null : (cpuSeconds(osPid) - os0) / total,
    load,
  };
}

function line(name: string, r: Awaited<ReturnType<typeof openLoop>>): string {
  const os =
    r.osCpuPerQuery === null ? '' : `, OpenSearch ${(r.osCpuPerQuery * 1000).toFixed(1)} ms CPU/query`;
  return `${name}: p50 ${int(r.p50)} ms, p95 ${int(r.p95)} ms, p99 ${int(r.p99)} ms (${r.n} queries, ${r.failures} failed), this process ${(r.cpuPerQuery * 1000).toFixed(1)} ms CPU/query${os}; load ${r.load[0].toFixed(2)}→${r.load[1].toFixed(2)}`;
}

/** The histogram through a store's aggregate(), over 24 h ending `to` + the time since the loop began. */
function histogram(store: SearchStore, to: number) {
  const started = Date.now();
  return async (_i: number) => {
    const end = to + (Date.now() - started);
    const range = { from: end - DAY, to: end };
    const pipeline = parsePipeline(HISTOGRAM);
    const plan = planAggregate(pipeline.stage!, range);
    const table = finishAggregate(
      plan,
      await store.aggregate({ tenant: 'acme', query: pipeline.filter, range, plan }),
    );
    if (table.rows.length === 0) throw new Error('the histogram is empty');
  };
}

async function histogramOnOpenSearch() {
  const url = engineSettings().opensearchUrl;
  const events = Number(values['opensearch-events']);
  const kept = (await countDocs(url, KEPT_PREFIX).catch(() => 0)) >= events;
  const prefix = kept ? KEPT_PREFIX : `bench-aggregate-${process.pid}`;
  let to = Date.now();
  if (!kept) {
    log(`loading ${int(events)} events into OpenSearch (${prefix}-*)`);
    const metrics = openSqliteMetricStore(':memory:');
    await metrics.init();
    const dataset = await loadOpenSearch(url, prefix, { events, tenant: 'acme', to, seed: 11, metrics });
    to = dataset.to;
    log(`  ${int(events / dataset.loadSeconds)} events/s`);
  } else log(`OpenSearch: reusing ${KEPT_PREFIX}-* (the query benchmark's kept data)`);
  const store = openOpenSearchStore({
    nodes: [url],
    indexPrefix: prefix,
    shards: 1,
    replicas: 0,
    log: silentLogger,
  });
  try {
    await histogram(store, to)(0); // warm-up
    const started = Date.now();
    const direct = async () => {
      const end = to + (Date.now() - started);
      const scope = { tenant: 'acme', services: undefined, from: end - DAY, to: end };
      const pipeline = parsePipeline(HISTOGRAM);
      const plan = planAggregate(pipeline.stage!, scope);
      const targets = searchTargets(prefix, 'acme', scope);
      const res = await fetch(
        `${url}/${targets}/_search?ignore_unavailable=true&allow_no_indices=true&filter_path=aggregations`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            size: 0,
            query: { bool: { filter: filterOf(scope, undefined) } },
            aggs: aggregateAggs(plan),
            track_total_hits: false,
          }),
        },
      );
      if (!res.ok) throw new Error(`OpenSearch ${res.status}`);
      await res.arrayBuffer();
    };
    // Two rounds, alternating which side goes first, so drift in the machine's other load hits both alike.
    for (const order of [
      ['api', 'direct'],
      ['direct', 'api'],
    ]) {
      for (const side of order) {
        if (side === 'api')
          log(line(`OpenSearch via aggregate() at ${RATE}/s`, await openLoop(histogram(store, to))));
        else log(line(`OpenSearch direct (reference) at ${RATE}/s`, await openLoop(direct)));
      }
    }
  } finally {
    await store.close();
  }
}

async function histogramOnSqlite() {
  const events = Number(values['sqlite-events']);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-aggregate-'));
  try {
    log(`loading ${int(events)} events into SQLite (${dir})`);
    const metrics = openSqliteMetricStore(join(dir, 'metrics.db'));
    await metrics.init();
    const dataset = await loadSqlite(join(dir, 'search'), {
      events,
      tenant: 'acme',
      to: Date.now(),
      seed: 12,
      metrics,
    });
    await metrics.close();
    log(`  ${int(events / dataset.loadSeconds)} events/s`);
    const store = openSqliteSearchStore({ path: join(dir, 'search') });
    try {
      await histogram(store, dataset.to)(0);
      log(
        line(
          `SQLite via aggregate() (2 reader threads) at ${RATE}/s`,
          await openLoop(histogram(store, dataset.to)),
        ),
      );
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function archiveReport() {
  const days = Number(values['archive-days']);
  const perHour = Number(values['archive-events-per-hour']);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-aggregate-archive-'));
  try {
    const archive = openLocalArchive(dir);
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const start = end - days * DAY;
    const t0 = performance.now();
    for (let hour = start, n = 0; hour < end; hour += HOUR, n++) {
      const events = realisticEvents({ count: perHour, tenant: 'acme', start: hour, seed: n + 1 }).filter(
        (e) => Date.parse(e.ts) < hour + HOUR,
      );
      await archive.write(
        {
          tenant: 'acme',
          hour,
          busPartition: 0,
          firstOffset: BigInt(n * perHour),
          lastOffset: BigInt(n * perHour + events.length - 1),
        },
        events,
      );
    }
    log(
      `archive: ${days} days × 24 files of ~${int(perHour)} events written in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    for (const q of [
      '| stats count() by bucket(1d), level',
      'level>=warn | stats count(), p95(http.duration_ms) by service',
    ]) {
      const pipeline = parsePipeline(q);
      const range = { from: start, to: end };
      const plan = planAggregate(pipeline.stage!, range);
      const load0 = load1();
      const cpu0 = process.cpuUsage();
      const t = performance.now();
      let lastShown = 0;
      const result = await aggregateArchive(archive, {
        tenant: 'acme',
        matches: compileToPredicate(pipeline.filter),
        range,
        plan,
        progress: (done, total) => {
          if (performance.now() - lastShown > 5000 || done === total) {
            lastShown = performance.now();
            log(`  progress ${done}/${total} files`);
          }
        },
      });
      const seconds = (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const rows = finishAggregate(plan, result.partial).rows.length;
      log(
        `archive report '${q}' over ${days} days: ${seconds.toFixed(1)} s, ${result.files} files, ${int(result.rows)} rows decoded (${int(result.rows / seconds)}/s), ${result.blocks} row groups read, ${result.prunedBlocks} pruned, ${rows} result rows, ${(((cpu.user + cpu.system) / 1e6 / Math.max(1, result.rows)) * 1e6).toFixed(2)} µs CPU per event; load ${load0.toFixed(2)}→${load1().toFixed(2)}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

log(`aggregate benchmark: ${machineLine()}; load ${load1().toFixed(2)}`);
if (!SKIP.has('opensearch')) {
  await requireEngines('opensearch');
  await histogramOnOpenSearch();
}
if (!SKIP.has('sqlite')) await histogramOnSqlite();
if (!SKIP.has('archive')) await archiveReport();
