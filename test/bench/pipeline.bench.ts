/**
 * Pipeline throughput on the real local engines (deploy/local/up): N events (default 1,000,000) through the
 * processor and the indexer, each role alone in its own process, against a tuned direct `_bulk` loop into
 * OpenSearch (the reference), plus the archive's bytes per event against raw NDJSON. Not a test.
 *
 *   npm run bench:pipeline -- [--events 1000000] [--partitions 6] [--in-flight 4] [--bulk-mb 8]
 *                             [--client kafkajs,platformatic] [--rounds 1] [--stages processor,indexer]
 *                             [--pairs 3] [--cpu-prof DIR] [--json FILE]
 *                             [--repo DIR]   # run the roles from another checkout (e.g. a patched copy)
 *
 * 1. N realistic events (test/bench/pipeline/events.ts, three tenants, about 20 hours of event time) are
 *    produced into `<prefix>logs.raw` as the gateway writes them (key tenant/service, event JSON, zstd).
 * 2. The processor role starts alone on them (default processing config: all masking detectors, built-in
 *    window metrics) and runs until logs.enriched + logs.dlq hold N records. Its commit is held back to the
 *    oldest open window (docs/windows.md), so logs.raw's lag never reaches 0 while windows are open:
 *    output records are the completion signal, and the remaining lag is printed. This is done once per
 *    `--client` (bus.client) and `--rounds` times, the clients alternating, each run on topics of its own
 *    (`<prefix>p<n>.`, its logs.raw produced afresh) so every run starts from the same state.
 *    `--stages indexer` skips the processor: the events go straight into logs.enriched as the processor
 *    writes them with the default config (same bytes, key and schema header: masking finds nothing).
 * 3. logs.enriched is read back: every event goes into the reference's bulk bodies (the store's own
 *    document builder) and into the archive sizer (the archive's encoder, files cut like the archiver's).
 * 4. `--pairs` pairs of a reference run and an indexer run, the order alternating (R I, I R, R I, …) so the
 *    machine's drifting load favours neither side; each pair gives a ratio, the report their median.
 *    Both write the same documents into fresh indices from the same template (mapping, 1 shard, 0
 *    replicas, refresh 1 s), which are deleted after each run.
 *    - Reference: the prebuilt bodies, `--in-flight` at once, timed first request → last answer.
 *    - Indexer: the role (first client) alone on the first run's logs.enriched with a fresh consumer group,
 *      timed from the first document OpenSearch indexed to the last (`_stats` index_total, polled every
 *      200 ms); its group's lag must then be 0 and OpenSearch must hold N documents.
 *
 * Rates are events per second from the first output to done ("consuming"; from /readyz to done in
 * brackets, which adds the consumer group join). CPU seconds are the role process's, all threads, from
 * /proc: events per CPU-second is the "on one core" figure, less sensitive to other work on the machine.
 * Everything is named from test/helpers/engines.ts `isolate()` and deleted at the end, also on failure.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { quietKnownWarnings } from '../../backend/server/quietWarnings.ts';
import { encodeEvents } from '../../backend/sinks/archive/eventParquet.ts';
import type { LogEvent } from '../../core/event/types.ts';
import { engineSettings, isolate, requireEngines } from '../helpers/engines.ts';
import { type ArchiveSize, archiveSizer } from './pipeline/archiveSize.ts';
import { chunkCount, eventChunks } from './pipeline/events.ts';
import {
  createTopics,
  groupLag,
  type ProduceStats,
  produceEvents,
  readTopic,
  topicRecords,
} from './pipeline/kafka.ts';
import {
  bulkBodies,
  countDocs,
  dropPrefix,
  indexedDocs,
  type ReferenceResult,
  referenceLoad,
  writePoolSampler,
} from './pipeline/openSearch.ts';
import { cpuSeconds, enginePid, freePort, load1 } from './pipeline/processes.ts';
import { profileSummary } from './pipeline/profile.ts';
import { fixed, int, loadLine, log, machineLine, table, verdict } from './pipeline/report.ts';
import { measureRole, type RolePhaseResult } from './pipeline/rolePhase.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    partitions: { type: 'string', default: '6' },
    'chunk-size': { type: 'string', default: '50000' },
    'in-flight': { type: 'string', default: '4' },
    'bulk-mb': { type: 'string', default: '8' },
    'timeout-min': { type: 'string', default: '20' },
    client: { type: 'string', default: 'kafkajs,platformatic' },
    rounds: { type: 'string', default: '1' },
    stages: { type: 'string', default: 'processor,indexer' },
    pairs: { type: 'string', default: '3' },
    'cpu-prof': { type: 'string' },
    repo: { type: 'string' },
    json: { type: 'string' },
  },
});

const EVENTS = Number(values.events);
const PARTITIONS = Number(values.partitions);
const CHUNK = Number(values['chunk-size']);
const IN_FLIGHT = Number(values['in-flight']);
const BULK_BYTES = Number(values['bulk-mb']) * 1024 * 1024;
const TIMEOUT_MS = Number(values['timeout-min']) * 60_000;
const TENANTS = ['acme', 'globex', 'initech'];
const HOUR = 3_600_000;
const TARGET_PROCESSOR_PER_CORE = 100_000;
const TARGET_INDEXER_SHARE = 0.8;
const TARGET_ARCHIVE_RATIO = 8;
const CLIENTS = (values.client ?? '').split(',').filter((c) => c !== '');
const ROUNDS = Number(values.rounds);
const STAGES = (values.stages ?? '').split(',');
const WITH_PROCESSOR = STAGES.includes('processor');
const WITH_INDEXER = STAGES.includes('indexer');
const PAIRS = Number(values.pairs);

async function main(): Promise<number> {
  if (!Number.isInteger(EVENTS) || EVENTS < 1) throw new Error('--events must be a positive integer');
  if (!Number.isInteger(PAIRS) || PAIRS < 1) throw new Error('--pairs must be a positive integer');
  if (!WITH_PROCESSOR && !WITH_INDEXER) throw new Error('--stages names neither processor nor indexer');
  await requireEngines('kafka', 'opensearch');
  const { kafkaBrokers, opensearchUrl } = engineSettings();
  const iso = isolate('bench-pipeline', ['kafka', 'opensearch']);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-pipeline-'));
  const topicsOf = (prefix: string) => ({
    raw: `${prefix}logs.raw`,
    enriched: `${prefix}logs.enriched`,
    metrics: `${prefix}logs.metrics`,
    dlq: `${prefix}logs.dlq`,
  });
  // Sibling prefixes: `<a>-*` must not match the other's indices.
  const storePrefix = `${iso.indexPrefix}-sluice`;
  const refPrefix = `${iso.indexPrefix}-ref`;
  const admin = iso.kafka().admin();
  await admin.connect();
  try {
    log(`run ${iso.id}: ${machineLine()}; load ${loadLine()}`);
    const configYaml = (prefix: string, client: string) =>
      [
        `bus: { kind: kafka, client: ${client}, brokers: [${kafkaBrokers.map((b) => JSON.stringify(b)).join(', ')}], topic_prefix: "${prefix}", partitions: ${PARTITIONS}, replication: 1 }`,
        `search: { kind: opensearch, nodes: ["${opensearchUrl}"], index_prefix: "${storePrefix}", shards: 1, replicas: 0 }`,
        `metrics: { kind: sqlite, path: ${JSON.stringify(join(dir, 'metrics.db'))} }`,
        `archive: { kind: local, dir: ${JSON.stringify(join(dir, 'archive'))} }`,
        'log: { level: warn }',
        '',
      ].join('\n');

    // 1.–2. Per run: logs.raw as the gateway would have written it, then the processor alone on it.
    const chunks = chunkCount({ total: EVENTS, chunkSize: CHUNK });
    const from = Date.UTC(2026, 10, 22, 12);
    // Each generated chunk is one tenant's hour with every service in it: encoded as one file, it is what
    // the archive would hold if files were cut per tenant-hour instead of per tenant-hour-partition.
    const perTenantHour = { parquetBytes: 0, files: 0 };
    const runs: ProcessorRun[] = [];
    let produced: ProduceStats | undefined;
    const produce = async (topic: string) => {
      const first = produced === undefined;
      const made = await produceEvents(
        iso.kafka(),
        topic,
        eventChunks({ total: EVENTS, chunkSize: CHUNK, from, to: from + chunks * HOUR, tenants: TENANTS }),
        first
          ? (chunk) => {
              perTenantHour.parquetBytes += encodeEvents(chunk).byteLength;
              perTenantHour.files++;
            }
          : undefined,
      );
      produced ??= made;
      log(
        `produced ${int(made.events)} events to ${topic} in ${fixed(made.seconds)} s (${int(made.events / made.seconds)}/s), raw NDJSON ${fixed(made.ndjsonBytes / made.events)} B/event`,
      );
    };
    if (!WITH_PROCESSOR) {
      const prefix = `${iso.topicPrefix}p0.`;
      const topics = topicsOf(prefix);
      await createTopics(admin, Object.values(topics), PARTITIONS);
      await produce(topics.enriched);
      runs.push({ client: CLIENTS[0] ?? 'kafkajs', prefix, processor: null, dlq: 0, rawLag: 0 });
    }
    for (let round = 0; WITH_PROCESSOR && round < ROUNDS; round++)
      for (const client of CLIENTS) {
        const prefix = `${iso.topicPrefix}p${runs.length}.`;
        const topics = topicsOf(prefix);
        await createTopics(admin, Object.values(topics), PARTITIONS);
        await produce(topics.raw);
        log(`processor (${client}): starting on ${int(EVENTS)} records`);
        const processor = await measureRole({
          role: 'processor',
          name: `processor-${client}-${runs.length}`,
          dir,
          configYaml: configYaml(prefix, client),
          port: await freePort(),
          progress: async () =>
            (await topicRecords(admin, topics.enriched)) + (await topicRecords(admin, topics.dlq)),
          target: EVENTS,
          timeoutMs: TIMEOUT_MS,
          cpuProfDir: values['cpu-prof'],
          repo: values.repo,
        });
        const dlq = await topicRecords(admin, topics.dlq);
        const rawLag = await groupLag(admin, `${prefix}sluice-processor`, topics.raw);
        log(
          `processor (${client}): ${brief(processor)}; logs.dlq ${dlq}; logs.raw lag left ${rawLag} (held back by open windows)`,
        );
        runs.push({ client, prefix, processor, dlq, rawLag });
      }
    if (produced === undefined) throw new Error('--client names no client');
    if (!WITH_INDEXER) {
      process.stdout.write(renderProcessors(produced, runs));
      return 0;
    }
    const { prefix } = runs[0];
    const topics = topicsOf(prefix);
    const enrichedCount = await topicRecords(admin, topics.enriched);

    // 3. Read logs.enriched back: reference bodies and archive files from the very events the indexer gets.
    const bodies = bulkBodies(refPrefix, BULK_BYTES);
    const sizer = archiveSizer();
    const seen = new Set<string>();
    let readBack = 0;
    await readTopic(
      iso.kafka(),
      admin,
      topics.enriched,
      `${iso.groupPrefix}bench-readback`,
      (partition, vs) => {
        // A reader thrown out of its group (a heartbeat missed on a busy machine) reads records again.
        const fresh = vs
          .map((value) => ({ value, event: JSON.parse(value.toString('utf8')) as LogEvent }))
          .filter(({ event }) => !seen.has(event.id) && seen.add(event.id) !== undefined);
        for (const { event } of fresh) bodies.add(event);
        sizer.add(
          partition,
          fresh.map(({ event }) => event),
          fresh.map(({ value }) => value.byteLength),
        );
        readBack += fresh.length;
      },
    );
    const refBodies = bodies.finish();
    const archive = await sizer.finish();
    log(
      `read back ${int(readBack)} events: ${refBodies.length} bulk bodies; archive ${archive.files} files, ${fixed(archive.parquetBytes / archive.events)} B/event`,
    );

    // 4. Pairs of a reference run and an indexer run, the order alternating: the machine's other load
    // drifts, and alternating keeps that drift from favouring either side.
    const runReference = async (name: string): Promise<ReferenceRun> => {
      const osPid = enginePid('opensearch');
      const os0 = osPid === null ? 0 : cpuSeconds(osPid);
      const bench0 = process.cpuUsage();
      const load = { start: load1(), end: 0 };
      const result = await referenceLoad(opensearchUrl, refPrefix, refBodies, IN_FLIGHT, readBack);
      load.end = load1();
      const benchCpu = process.cpuUsage(bench0);
      await dropPrefix(opensearchUrl, refPrefix);
      const run: ReferenceRun = {
        ...result,
        openSearchCores: osPid === null ? null : (cpuSeconds(osPid) - os0) / result.seconds,
        benchCores: (benchCpu.user + benchCpu.system) / 1e6 / result.seconds,
        load,
      };
      log(
        `${name}: ${int(run.docs / run.seconds)} docs/s (${fixed(run.seconds)} s, ${refBodies.length} bodies, ${IN_FLIGHT} in flight), OpenSearch ${run.openSearchCores?.toFixed(2)} cores, write pool idle ${pct(run.openSearchIdle)}, load ${load.start.toFixed(2)}→${load.end.toFixed(2)}`,
      );
      return run;
    };
    const indexerGroup = `${prefix}sluice-indexer`;
    const runIndexer = async (name: string): Promise<IndexerRun> => {
      log(`${name}: starting on ${int(enrichedCount)} records`);
      const sampler = writePoolSampler(opensearchUrl);
      let sampled: Promise<{ idleShare: number }> | undefined;
      const indexer = await measureRole({
        role: 'indexer',
        name,
        dir,
        configYaml: configYaml(prefix, runs[0].client),
        port: await freePort(),
        progress: () => indexedDocs(opensearchUrl, storePrefix),
        target: enrichedCount,
        timeoutMs: TIMEOUT_MS,
        cpuProfDir: values['cpu-prof'],
        repo: values.repo,
        onDone: () => {
          sampled = sampler.stop();
        },
      });
      const openSearchIdle = (await (sampled ?? sampler.stop())).idleShare;
      // measureRole stopped it gracefully: the batch in flight finished and committed.
      const lag = await groupLag(admin, indexerGroup, topics.enriched);
      const docs = await countDocs(opensearchUrl, storePrefix);
      log(
        `${name}: ${brief(indexer)}; OpenSearch write pool idle ${pct(openSearchIdle)}; holds ${int(docs)} documents, lag ${lag}`,
      );
      if (docs !== enrichedCount || lag !== 0)
        throw new Error(`OpenSearch holds ${docs} documents, logs.enriched ${enrichedCount}; lag ${lag}`);
      // The next indexer run starts afresh: new indices (the store puts its template back) and a new group.
      await dropPrefix(opensearchUrl, storePrefix);
      await admin.deleteGroups([indexerGroup]);
      return { ...indexer, openSearchIdle };
    };
    const pairs: Pair[] = [];
    for (let i = 0; i < PAIRS; i++) {
      let reference: ReferenceRun | undefined;
      let indexer: IndexerRun | undefined;
      for (const which of i % 2 === 0 ? ['reference', 'indexer'] : ['indexer', 'reference']) {
        if (which === 'reference') reference = await runReference(`pair ${i + 1} reference`);
        else indexer = await runIndexer(`indexer-${i + 1}`);
      }
      const pair = { reference: reference as ReferenceRun, indexer: indexer as IndexerRun };
      pairs.push(pair);
      log(`pair ${i + 1}: indexer / reference = ${Math.round(100 * shareOf(pair))}%`);
    }

    const report = render({ produced, runs, pairs, archive, perTenantHour });
    process.stdout.write(report);
    if (values['cpu-prof'] !== undefined) {
      const roles = [
        ...runs.flatMap((r, i) => (r.processor === null ? [] : [`processor-${r.client}-${i}`])),
        ...pairs.map((_, i) => `indexer-${i + 1}`),
      ];
      for (const role of roles) {
        try {
          process.stdout.write(
            `\n${profileSummary(join(values['cpu-prof'], `${role}.cpuprofile`)).join('\n')}\n`,
          );
        } catch (error) {
          log(`no profile for ${role}: ${(error as Error).message}`);
        }
      }
    }
    if (values.json !== undefined)
      await writeFile(
        values.json,
        `${JSON.stringify({ run: iso.id, produced, runs, pairs, archive, perTenantHour }, null, 2)}\n`,
      );
    return 0;
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? error}`);
    return 2;
  } finally {
    await admin.disconnect().catch(() => undefined);
    try {
      await iso.cleanup();
      log(`cleaned up topics, groups, indices and templates of ${iso.id}`);
    } catch (error) {
      log(`cleanup failed: ${(error as Error).message}`);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

const perSecond = (n: number, s: number) => n / s;

function brief(r: RolePhaseResult): string {
  return `${int(r.records)} records, ${int(perSecond(r.records, r.activeSeconds))}/s consuming (${fixed(r.activeSeconds)} s), ${int(perSecond(r.records, r.readySeconds))}/s ready→done, ${fixed(r.cpuSeconds)} CPU s = ${int(r.records / r.cpuSeconds)} per CPU-second, broker ${r.brokerCores?.toFixed(2)} / OpenSearch ${r.openSearchCores?.toFixed(2)} cores, load ${r.load.start.toFixed(2)}→${r.load.end.toFixed(2)} (max ${r.load.max.toFixed(2)})`;
}

interface ReferenceRun extends ReferenceResult {
  openSearchCores: number | null;
  benchCores: number;
  load: { start: number; end: number };
}

/** One processor run: which client, on which topics, and what it measured. */
interface ProcessorRun {
  client: string;
  prefix: string;
  /** null with `--stages indexer` (logs.enriched produced directly). */
  processor: RolePhaseResult | null;
  dlq: number;
  rawLag: number;
}

interface IndexerRun extends RolePhaseResult {
  /** Share of the run OpenSearch's write pool had nothing to do (writePoolSampler). */
  openSearchIdle: number;
}

/** One reference run and one indexer run, back to back. */
interface Pair {
  reference: ReferenceRun;
  indexer: IndexerRun;
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

const shareOf = (p: Pair) =>
  p.indexer.records / p.indexer.activeSeconds / (p.reference.docs / p.reference.seconds);

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Results {
  produced: { events: number; ndjsonBytes: number };
  runs: ProcessorRun[];
  pairs: Pair[];
  archive: ArchiveSize;
  perTenantHour: { parquetBytes: number; files: number };
}

const cores = (n: number | null) => (n === null ? '-' : n.toFixed(2));
const ROLE_HEADERS = [
  'stage',
  'events',
  'seconds consuming (ready→done)',
  'events/s consuming (ready→done)',
  'CPU s → events per CPU-s (CPU-µs/event)',
  'cores: role / broker / OpenSearch (write pool idle)',
  'load avg',
];

function roleRow(name: string, p: RolePhaseResult): string[] {
  return [
    name,
    int(p.records),
    `${fixed(p.activeSeconds)} (${fixed(p.readySeconds)})`,
    `**${int(p.records / p.activeSeconds)}** (${int(p.records / p.readySeconds)})`,
    `${fixed(p.cpuSeconds)} → ${int(p.records / p.cpuSeconds)} (${fixed((1e6 * p.cpuSeconds) / p.records)})`,
    `${cores(p.cpuSeconds / Math.max(p.readySeconds, p.activeSeconds))} / ${cores(p.brokerCores)} / ${cores(p.openSearchCores)}`,
    `${p.load.start.toFixed(1)}–${p.load.max.toFixed(1)}`,
  ];
}

const processorRows = (runs: ProcessorRun[]) =>
  runs.flatMap((run, i) =>
    run.processor === null
      ? []
      : [roleRow(`processor #${i + 1}, ${run.client} (logs.raw → logs.enriched)`, run.processor)],
  );

/** The processor target per client: events per CPU-second over all of its runs. */
function processorTargets(runs: ProcessorRun[]): string[][] {
  return [...new Set(runs.filter((r) => r.processor !== null).map((r) => r.client))].map((client) => {
    const mine = runs.flatMap((r) => (r.client === client && r.processor !== null ? [r.processor] : []));
    const records = mine.reduce((sum, p) => sum + p.records, 0);
    const cpu = mine.reduce((sum, p) => sum + p.cpuSeconds, 0);
    return [
      `processor events per CPU-second (one core), ${client}`,
      `≥ ${int(TARGET_PROCESSOR_PER_CORE)}`,
      `${int(records / cpu)} (${fixed((1e6 * cpu) / records)} CPU-µs/event, ${mine.length} run(s))`,
      verdict(records / cpu >= TARGET_PROCESSOR_PER_CORE),
    ];
  });
}

/** `--stages processor`: the processor runs and their targets only. */
function renderProcessors(produced: ProduceStats, runs: ProcessorRun[]): string {
  return [
    '',
    `## bench:pipeline ${new Date().toISOString()}: processor only, ${int(produced.events)} events, ${PARTITIONS} partitions`,
    `machine: ${machineLine()}; load now ${loadLine()}`,
    '',
    table(ROLE_HEADERS, processorRows(runs)),
    '',
    table(['target', 'goal', 'measured', 'result'], processorTargets(runs)),
    '',
    `logs.dlq: ${runs.map((r) => r.dlq).join(', ')} records; logs.raw lag left: ${runs.map((r) => r.rawLag).join(', ')} (commits wait for open windows)`,
    '',
  ].join('\n');
}

function render(r: Results): string {
  const shares = r.pairs.map(shareOf);
  const share = median(shares);
  const archiveRatio =
    r.produced.ndjsonBytes / r.produced.events / (r.archive.parquetBytes / r.archive.events);
  const rows = [
    ...processorRows(r.runs),
    ...r.pairs.flatMap(({ reference: x, indexer }, i) => {
      const row = roleRow(`pair ${i + 1}: indexer (logs.enriched → OpenSearch)`, indexer);
      row[5] += ` (idle ${pct(indexer.openSearchIdle)})`;
      const rows = [
        row,
        [
          `pair ${i + 1}: reference, direct \`_bulk\` of the same documents`,
          int(x.docs),
          fixed(x.seconds),
          `**${int(x.docs / x.seconds)}**`,
          `bench ${fixed(x.benchCores * x.seconds)}`,
          `${cores(x.benchCores)} / - / ${cores(x.openSearchCores)} (idle ${pct(x.openSearchIdle)})`,
          `${x.load.start.toFixed(1)}–${x.load.end.toFixed(1)}`,
        ],
      ];
      return i % 2 === 0 ? rows.reverse() : rows;
    }),
  ];
  const targets = [
    ...processorTargets(r.runs),
    [
      `indexer / reference (median of ${r.pairs.length} pairs)`,
      `≥ ${TARGET_INDEXER_SHARE * 100}%`,
      `**${Math.round(100 * share)}%** (pairs: ${shares.map((x) => `${Math.round(100 * x)}%`).join(', ')})`,
      verdict(share >= TARGET_INDEXER_SHARE),
    ],
    [
      'archive vs raw NDJSON',
      `≥ ${TARGET_ARCHIVE_RATIO}× smaller`,
      `${archiveRatio.toFixed(2)}×`,
      verdict(archiveRatio >= TARGET_ARCHIVE_RATIO),
    ],
  ];
  const a = r.archive;
  return [
    '',
    `## bench:pipeline ${new Date().toISOString()}: ${int(r.produced.events)} events, ${PARTITIONS} partitions`,
    `machine: ${machineLine()}; load now ${loadLine()}`,
    '',
    table(ROLE_HEADERS, rows),
    '',
    table(
      ['', 'bytes/event', 'vs raw NDJSON'],
      [
        ['raw NDJSON (logs.raw values)', fixed(r.produced.ndjsonBytes / r.produced.events), '1×'],
        ['enriched NDJSON (logs.enriched values)', fixed(a.ndjsonBytes / a.events), ''],
        [
          `archive Parquet (${a.files} files, encode ${int(a.events / a.encodeSeconds)} events/s)`,
          fixed(a.parquetBytes / a.events),
          `**${archiveRatio.toFixed(2)}×**`,
        ],
        [
          `for comparison: one file per tenant-hour, all services (${r.perTenantHour.files} files)`,
          fixed(r.perTenantHour.parquetBytes / r.produced.events),
          `${(r.produced.ndjsonBytes / r.perTenantHour.parquetBytes).toFixed(2)}×`,
        ],
      ],
    ),
    '',
    table(['target', 'goal', 'measured', 'result'], targets),
    '',
    `logs.dlq: ${r.runs.map((x) => x.dlq).join(', ')} records; logs.raw lag left after the processor: ${r.runs.map((x) => x.rawLag).join(', ')} (its commit waits for open windows)`,
    '',
  ].join('\n');
}

quietKnownWarnings();
process.exitCode = await main();
