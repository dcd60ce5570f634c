/**
 * `npm run drill:ha`: kills the nodes of the replicated deployment (deploy/local/up --ha) one at a time
 * while agents write through the balancer, and reports per fault the ingest requests attempted and
 * succeeded, p95 delivery latency during the fault and after recovery, and how long until search is fresh
 * again; at the end the events in OpenSearch, the archive and the metrics against those acknowledged.
 *
 *   npm run drill:ha                                  every fault (about 12 minutes)
 *   npm run drill:ha -- --bounded --up --down         CI: a broker and a gateway, starting and stopping the deployment
 *   npm run drill:ha -- --faults gateway,postgres --json drill.json
 *
 * Exits 1 when availability is under --min-availability (default 99.9 %) or an event is lost or counted
 * twice in any store.
 */

import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { quietKnownWarnings } from '../../../backend/server/quietWarnings.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { deployment, kafkaLeader, leaseHolder, openSearchPrimary } from './deployment.ts';
import { type Attempt, type Delivery, sendProbe, startLoad } from './load.ts';
import { storeReader } from './stores.ts';

interface Fault {
  name: string;
  /** Which node, chosen when the fault starts. */
  target: () => Promise<string>;
  signal: 'KILL' | 'STOP';
  downMs: number;
}

const { values } = parseArgs({
  options: {
    faults: { type: 'string' },
    bounded: { type: 'boolean' },
    up: { type: 'boolean' },
    down: { type: 'boolean' },
    json: { type: 'string' },
    'min-availability': { type: 'string', default: '99.9' },
    'down-seconds': { type: 'string' },
    'after-seconds': { type: 'string' },
    rate: { type: 'string', default: '400' },
  },
});

// kafkaLeader's kafkajs admin warns on Node 24 like the server does (see quietWarnings.ts).
quietKnownWarnings();
const ha = await deployment();
const env = ha.env;
const urls = Object.fromEntries(
  (await import('node:child_process'))
    .execFileSync(new URL('../../../deploy/local/ha', import.meta.url).pathname, ['urls'])
    .toString()
    .trim()
    .split('\n')
    .map((line) => line.split(' ') as [string, string]),
);
const bounded = values.bounded === true;
const downMs = Number(values['down-seconds'] ?? (bounded ? 10 : 15)) * 1000;
const afterMs = Number(values['after-seconds'] ?? 20) * 1000;

const FAULTS: Fault[] = [
  {
    name: 'kafka broker (leader)',
    target: () => kafkaLeader(env.SLUICE_KAFKA_BROKERS, 'ha.logs.raw'),
    signal: 'KILL',
    downMs,
  },
  {
    name: 'opensearch node (primary)',
    target: () => liveOpenSearch().then((url) => openSearchPrimary(url, 'sluice-ha')),
    signal: 'KILL',
    downMs,
  },
  { name: 'gateway', target: async () => 'gateway-1', signal: 'KILL', downMs },
  { name: 'processor', target: async () => 'processor-1', signal: 'KILL', downMs },
  { name: 'indexer', target: async () => 'indexer-1', signal: 'KILL', downMs },
  { name: 'archiver', target: async () => 'archiver-1', signal: 'KILL', downMs },
  {
    name: 'query (lease holder)',
    target: async () =>
      (await leaseHolder({ 'query-1': urls['query-1'], 'query-2': urls['query-2'] })) ?? 'query-1',
    signal: 'KILL',
    downMs,
  },
  { name: 'postgresql', target: async () => 'postgres', signal: 'KILL', downMs: 30_000 },
  {
    name: 'kafka broker stall (SIGSTOP)',
    target: () => kafkaLeader(env.SLUICE_KAFKA_BROKERS, 'ha.logs.raw'),
    signal: 'STOP',
    downMs,
  },
];
const KEYS: Record<string, string> = {
  kafka: FAULTS[0].name,
  opensearch: FAULTS[1].name,
  gateway: FAULTS[2].name,
  processor: FAULTS[3].name,
  indexer: FAULTS[4].name,
  archiver: FAULTS[5].name,
  query: FAULTS[6].name,
  postgres: FAULTS[7].name,
  stall: FAULTS[8].name,
};
const chosen = (values.faults ?? (bounded ? 'kafka,gateway' : Object.keys(KEYS).join(',')))
  .split(',')
  .map((key) => {
    const fault = FAULTS.find((f) => f.name === KEYS[key.trim()]);
    if (fault === undefined)
      throw new Error(`unknown fault "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
    return fault;
  });

async function liveOpenSearch(): Promise<string> {
  for (const url of [env.SLUICE_OPENSEARCH_URL_1, env.SLUICE_OPENSEARCH_URL_2]) {
    if (
      await fetch(`${url}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return url;
  }
  throw new Error('no OpenSearch data node answers');
}

const log = (message: string) =>
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

if (values.up) {
  log('deploy/local/up --ha');
  await ha.up();
}
const stores = storeReader(env, { indexPrefix: 'sluice-ha-default', schema: 'sluice_ha' });
const service = `drill-${Date.now().toString(36)}`;
const probeService = `${service}-probe`;
const rate = Number(values.rate);
const began = Date.now();
// Events two hours old: their archive hour is over, so the archiver writes their files within seconds
// instead of an hour later, and the drill can count them (the metric windows take them as on time).
const EVENT_AGE_MS = 2 * 3_600_000;
const load = startLoad({
  gatewayUrl: env.SLUICE_HA_GATEWAY_URL,
  service,
  agents: 2,
  eventsPerBatch: 20,
  batchesPerSecond: rate / 2 / 20,
  eventAgeMs: EVENT_AGE_MS,
});
log(`agents writing ${rate} events/s as service ${service} through ${env.SLUICE_HA_GATEWAY_URL}`);

interface FaultResult {
  fault: string;
  node: string;
  start: number;
  recovered: number;
  end: number;
  freshMs: number;
  /** Where the time to fresh went: until the gateway acknowledged the probe, until OpenSearch had it. */
  ackedMs: number;
  indexedMs: number;
}
const results: FaultResult[] = [];
let probes = 0;
const loads: number[] = [];
let failedSetup: unknown;
try {
  await delay(30_000); // a baseline before the first fault
  for (const fault of chosen) {
    const node = await fault.target();
    log(`${fault.name}: ${fault.signal === 'STOP' ? 'stalling' : 'killing'} ${node}`);
    const start = Date.now();
    await ha.kill(node, fault.signal);
    await delay(fault.downMs);
    if (fault.signal === 'STOP') await ha.kill(node, 'CONT');
    await ha.up(node);
    const recovered = Date.now();
    log(`${fault.name}: ${node} back after ${((recovered - start) / 1000).toFixed(1)} s; probing search`);
    const marker = `p${recovered.toString(36)}`;
    const probeAcked = await sendProbe(env.SLUICE_HA_GATEWAY_URL, probeService, marker, EVENT_AGE_MS);
    probes++;
    // OpenSearch itself (no forced refresh) and the query API, polled side by side: which part was slow.
    let indexed: number | undefined;
    await waitFor(
      'the probe event in search',
      async () => {
        const [inIndex, visible] = await Promise.all([
          indexed === undefined ? stores.searchable(probeService).catch(() => 0) : probes,
          stores.probeVisible(probeService, marker).catch(() => false),
        ]);
        if (indexed === undefined && inIndex >= probes) indexed = Date.now();
        return visible;
      },
      { timeoutMs: 180_000, intervalMs: 250 },
    );
    const freshMs = Date.now() - recovered;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const ackedMs = probeAcked - recovered;
    const indexedMs = (indexed ?? Date.now()) - recovered;
    log(
      `${fault.name}: search fresh ${s(freshMs)} after recovery (probe acknowledged after ${s(ackedMs)}, in OpenSearch after ${s(indexedMs)})`,
    );
    const rest = afterMs - (Date.now() - recovered);
    if (rest > 0) await delay(rest);
    results.push({ fault: fault.name, node, start, recovered, end: Date.now(), freshMs, ackedMs, indexedMs });
    loads.push(loadavg()[0]);
  }
} catch (error) {
  failedSetup = error;
  log(`drill stopped: ${(error as Error).message}`);
} finally {
  log('stopping the agents (every batch acknowledged first)');
  await load.stop();
}
const ended = Date.now();
const acked = load.acknowledged();
log(`${acked} events acknowledged; waiting for every store to hold them`);
let counts = await stores.counts(service, began);
try {
  await waitFor(
    'every store to hold the acknowledged events',
    async () => {
      counts = await stores.counts(service, began);
      return counts.search >= acked && counts.archiveDistinct >= acked && counts.metrics >= acked;
    },
    // Returns as soon as every store holds them; the time is for a loaded machine, where the indexer
    // catches up after a broker's return at a few thousand events a second.
    { timeoutMs: 300_000, intervalMs: 3000, retryOnError: true },
  );
} catch (error) {
  log((error as Error).message.split('\n')[0]);
}
// A moment more: a duplicate would arrive after the count first matches.
await delay(5000);
counts = await stores.counts(service, began).catch(() => counts);
await stores.close();
if (values.down) {
  log('deploy/local/down --ha');
  await ha.down();
}

// --- the report -------------------------------------------------------------------------------------

const p95 = (values: number[]) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
};
const within = (a: Attempt | Delivery, from: number, to: number) => {
  const t = 'start' in a ? a.start : a.first;
  return t >= from && t < to;
};
const tally = (attempts: Attempt[]) => ({
  attempted: attempts.length,
  ok: attempts.filter((a) => a.outcome === 'ok').length,
  delayed: attempts.filter((a) => a.outcome === 'delayed').length,
  failed: attempts.filter((a) => a.outcome === 'failed').length,
});
const pct = (n: number, d: number) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(2)} %`);
const latency = (from: number, to: number) =>
  p95(load.deliveries.filter((d) => within(d, from, to)).map((d) => d.acked - d.first));

const rows = results.map((r) => {
  const t = tally(load.attempts.filter((a) => within(a, r.start, r.end)));
  return {
    ...r,
    ...t,
    p95During: latency(r.start, r.recovered),
    p95After: latency(r.recovered, r.end),
    failures: [
      ...new Set(
        load.attempts
          .filter((a) => within(a, r.start, r.end) && a.outcome !== 'ok')
          .map((a) => a.detail.split(':')[0]),
      ),
    ],
  };
});
const total = tally(load.attempts);
const availability = (total.attempted - total.failed) / Math.max(1, total.attempted);
const strict = total.ok / Math.max(1, total.attempted);
const lost = {
  search: Math.max(0, acked - counts.search),
  archive: Math.max(0, acked - counts.archiveDistinct),
  metrics: Math.max(0, acked - counts.metrics),
};
const doubled = {
  search: Math.max(0, counts.search - acked),
  archive: counts.archiveRows - counts.archiveDistinct + Math.max(0, counts.archiveDistinct - acked),
  metrics: Math.max(0, counts.metrics - acked),
};

const lines: string[] = [];
lines.push(
  `HA drill ${new Date(began).toISOString()} – ${new Date(ended).toISOString()}, ${rate} events/s from 2 agents in batches of 20, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end`,
  '',
  '| fault | node | requests | ok | delayed (503) | failed | availability | p95 delivery during / after (ms) | search fresh after recovery (s): probe acked / in OpenSearch / via query API | load avg |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
rows.forEach((r, i) => {
  lines.push(
    `| ${r.fault} | ${r.node} | ${r.attempted} | ${r.ok} | ${r.delayed} | ${r.failed} | ${pct(r.attempted - r.failed, r.attempted)} | ${Math.round(r.p95During)} / ${Math.round(r.p95After)} | ${(r.ackedMs / 1000).toFixed(1)} / ${(r.indexedMs / 1000).toFixed(1)} / **${(r.freshMs / 1000).toFixed(1)}** | ${loads[i].toFixed(1)} |`,
  );
});
lines.push(
  `| **whole drill** | | ${total.attempted} | ${total.ok} | ${total.delayed} | ${total.failed} | **${pct(total.attempted - total.failed, total.attempted)}** (${pct(total.ok, total.attempted)} at the first attempt) | ${Math.round(latency(began, ended))} | | |`,
  '',
  `acknowledged ${acked} events; OpenSearch ${counts.search}; archive ${counts.archiveRows} rows (${counts.archiveDistinct} distinct ids); metrics log_count + late_events ${counts.metrics}`,
  `lost: search ${lost.search}, archive ${lost.archive}, metrics ${lost.metrics}; double-counted: search ${doubled.search}, archive ${doubled.archive}, metrics ${doubled.metrics}`,
);
for (const r of rows) if (r.failures.length > 0) lines.push(`${r.fault}: ${r.failures.join(', ')}`);
console.log(`\n${lines.join('\n')}`);
if (values.json !== undefined) {
  await writeFile(
    values.json,
    JSON.stringify({ began, ended, rate, rows, total, acked, counts, lost, doubled }, null, 2),
  );
}

const problems: string[] = [];
if (failedSetup !== undefined)
  problems.push(`the drill could not run every fault: ${(failedSetup as Error).message}`);
const minimum = Number(values['min-availability']) / 100;
if (availability < minimum)
  problems.push(`availability ${(availability * 100).toFixed(3)} % is under ${values['min-availability']} %`);
if (Object.values(lost).some((n) => n > 0)) problems.push(`events lost: ${JSON.stringify(lost)}`);
if (Object.values(doubled).some((n) => n > 0))
  problems.push(`events double-counted: ${JSON.stringify(doubled)}`);
void strict;
// The plain closing line CI reads: the drill's checks (availability, and nothing lost or double-counted per store).
const checks = [
  availability >= minimum,
  ...Object.values(lost).map((n) => n === 0),
  ...Object.values(doubled).map((n) => n === 0),
];
console.log(`\ndrill: ${checks.filter(Boolean).length} passed, ${checks.filter((ok) => !ok).length} failed`);
if (problems.length > 0) {
  console.error(`\nHA drill FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log('\nHA drill passed');
process.exit(0);
