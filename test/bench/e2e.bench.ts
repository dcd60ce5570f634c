/**
 * The whole pipeline, sustained: senders at fixed rates stepping up until a stage falls behind, through
 * a standalone process (embedded bus, SQLite, local archive) and a distributed deployment (one process
 * per role on Kafka, OpenSearch, PostgreSQL, S3). Not a test.
 *
 *   npm run bench:e2e -- [--mode standalone,distributed] [--rates 10000,20000,30000,40000,50000,60000]
 *                        [--step-seconds 20] [--gateway-processes auto] [--batch 1000] [--in-flight 16]
 *                        [--partitions 6] [--latency-seconds 20] [--burst EVENTS] [--cpu-prof DIR] [--repo DIR]
 *                        [--json FILE]
 *
 * Each step sends `rate` events/s for `--step-seconds` (gzip NDJSON batches of `--batch`, at most
 * `--in-flight` requests open) and passes when the gateway took ≥ 95 % of the rate and the backlog in front
 * of every stage (what its upstream produced minus what it consumed, from /metrics) stayed bounded: ≤ 2 s of
 * the rate at the end of the step and not growing by more than 1 s of it over the second half. Between
 * steps the backlogs drain. The first step that fails names the stage that saturated (the gateway when it
 * took less than was sent, else the stage whose backlog grew most). Then, at half the highest passing
 * rate, marker events are sent beside the load and the query API is polled for them: ingest→searchable
 * p50/p95/max. CPU per event comes from /proc per process (standalone: its gateway processes, and the
 * primary running every other role, whose time per stage is split by each role's batch handler time).
 * The 1-minute load average is printed with every figure: the machine is shared.
 *
 * `--burst EVENTS` replaces the steps and the latency probe: that many events sent as fast as 16 requests
 * in flight allow, then the time until every stage has taken them all, and the CPU per event of each
 * process group over the whole of it. On a machine shared with other work it is the steadier figure:
 * the stages see full batches however little CPU they get, where a paced step starved of CPU measures
 * mostly fixed costs (polls, timers, metrics) over few events.
 *
 * `--cpu-prof DIR` profiles the standalone processes (one `.cpuprofile` per pid) and prints where the
 * primary spent its time; `--repo DIR` runs another checkout's Sluice (a before/after pair, alternated).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { quietKnownWarnings } from '../../backend/server/quietWarnings.ts';
import { isolate, requireEngines } from '../helpers/engines.ts';
import { type Deployment, startDistributed, startStandalone } from './e2e/deployments.ts';
import { buildBodies, quantile, sendAtRate, sendCount } from './e2e/load.ts';
import { backlogs, type Snapshot, STAGES, snapshot } from './e2e/stages.ts';
import { load1, sleep } from './pipeline/processes.ts';
import { profileSummary } from './pipeline/profile.ts';
import { fixed, int, loadLine, log, machineLine, table } from './pipeline/report.ts';

quietKnownWarnings();
const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'standalone,distributed' },
    rates: { type: 'string', default: '10000,20000,30000,40000,50000,60000' },
    'step-seconds': { type: 'string', default: '20' },
    'gateway-processes': { type: 'string', default: 'auto' },
    batch: { type: 'string', default: '1000' },
    'in-flight': { type: 'string', default: '16' },
    partitions: { type: 'string', default: '6' },
    'latency-seconds': { type: 'string', default: '20' },
    burst: { type: 'string' },
    'cpu-prof': { type: 'string' },
    repo: { type: 'string' },
    json: { type: 'string' },
  },
});
const RATES = values.rates.split(',').map(Number);
const STEP_S = Number(values['step-seconds']);
const BATCH = Number(values.batch);
const IN_FLIGHT = Number(values['in-flight']);
const LATENCY_S = Number(values['latency-seconds']);
const CPU_PROF = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
const TARGET_STANDALONE = 50_000;
const TARGET_P95_MS = 2000;

interface StepResult {
  rate: number;
  seconds: number;
  sentPerSecond: number;
  acceptedPerSecond: number;
  missed: number;
  failed: number;
  requestP95Ms: number;
  /** Events/s each stage took in. */
  stageRates: Record<string, number>;
  backlogEnd: Record<string, number>;
  backlogGrowth: Record<string, number>;
  /** CPU µs per event per process group, and cores used. */
  cpuUsPerEvent: Record<string, number>;
  cores: Record<string, number>;
  /** Batch handler time per event, µs, per consumer stage. */
  handlerUsPerEvent: Record<string, number>;
  /** Mean records per batch, per consumer stage. */
  meanBatch: Record<string, number>;
  load: [number, number];
  passed: boolean;
  saturated?: string;
}

async function step(
  d: Deployment,
  bodies: ReturnType<typeof buildBodies>,
  rate: number,
): Promise<StepResult> {
  const loadBefore = load1();
  const first = await snapshot(d.metricsUrls, d.pids, d.enrichedTopic);
  let middle: Snapshot | undefined;
  const mid = sleep((STEP_S * 1000) / 2).then(async () => {
    middle = await snapshot(d.metricsUrls, d.pids, d.enrichedTopic);
  });
  const sent = await sendAtRate({ url: d.ingestUrl, bodies, rate, seconds: STEP_S, inFlight: IN_FLIGHT });
  await mid;
  const last = await snapshot(d.metricsUrls, d.pids, d.enrichedTopic);
  const seconds = (last.at - first.at) / 1000;
  const events = (stage: (typeof STAGES)[number]) => last.inputs[stage] - first.inputs[stage];
  const stageRates = Object.fromEntries(STAGES.map((s) => [s, events(s) / seconds]));
  const end = backlogs(last);
  const half = backlogs(middle as Snapshot);
  const growth = Object.fromEntries(
    Object.entries(end).map(([s, b]) => [s, b - half[s as keyof typeof half]]),
  );
  const accepted = events('gateway');
  const cpuUsPerEvent: Record<string, number> = {};
  const cores: Record<string, number> = {};
  for (const group of Object.keys(last.cpu)) {
    const cpu = last.cpu[group] - (first.cpu[group] ?? 0);
    cores[group] = cpu / seconds;
    // Per event that entered the pipeline: every stage handles each event once (metrics: its points).
    const n =
      group === 'gateway' || group === 'primary' || group === 'metrics' ? accepted : events(group as never);
    cpuUsPerEvent[group] = n > 0 ? (cpu / n) * 1e6 : Number.NaN;
  }
  const handlerUsPerEvent = Object.fromEntries(
    STAGES.filter((s) => s !== 'gateway').map((s) => [
      s,
      accepted > 0 ? ((last.handlerSeconds[s] - first.handlerSeconds[s]) / accepted) * 1e6 : Number.NaN,
    ]),
  );
  const meanBatch = Object.fromEntries(
    STAGES.filter((s) => s !== 'gateway').map((s) => [
      s,
      events(s) / Math.max(1, last.batches[s] - first.batches[s]),
    ]),
  );
  const bound = 2 * rate;
  const gatewayShort = sent.accepted / STEP_S < 0.95 * rate;
  const grown = Object.entries(end).filter(([s, b]) => b > bound || growth[s] > rate);
  const passed = !gatewayShort && grown.length === 0;
  const saturated = passed
    ? undefined
    : gatewayShort
      ? 'gateway'
      : grown.sort((a, b) => growth[b[0]] - growth[a[0]] || b[1] - a[1])[0][0];
  return {
    rate,
    seconds,
    sentPerSecond: (sent.accepted + sent.failed * BATCH) / STEP_S,
    acceptedPerSecond: sent.accepted / STEP_S,
    missed: sent.missed,
    failed: sent.failed,
    requestP95Ms: quantile(sent.durations, 0.95),
    stageRates,
    backlogEnd: end,
    backlogGrowth: growth,
    cpuUsPerEvent,
    cores,
    handlerUsPerEvent,
    meanBatch,
    load: [loadBefore, load1()],
    passed,
    saturated,
  };
}

/** Waits for every backlog to drain (≤ 1 batch), up to `ms`; true when it did. */
async function drain(d: Deployment, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const b = backlogs(await snapshot(d.metricsUrls, d.pids, d.enrichedTopic));
    if (Object.values(b).every((n) => n <= BATCH)) return true;
    await sleep(1000);
  }
  return false;
}

/** Markers beside load at `rate`: ms from sending each marker to the query API finding it. */
async function searchable(d: Deployment, bodies: ReturnType<typeof buildBodies>, rate: number) {
  const sentAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let sending = true;
  const load = sendAtRate({ url: d.ingestUrl, bodies, rate, seconds: LATENCY_S, inFlight: IN_FLIGHT });
  const markers = (async () => {
    for (let n = 0; sending; n++) {
      const token = `e2emark${n}x${Date.now()}`;
      sentAt.set(token, performance.now());
      await fetch(`${d.ingestUrl}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: `${JSON.stringify({ service: 'e2e-marker', message: `marker ${token}` })}\n`,
      }).then((res) => res.arrayBuffer());
      await sleep(250);
    }
  })();
  const poll = async () => {
    const res = await fetch(
      `${d.queryUrl}/api/v1/search?q=${encodeURIComponent('service:e2e-marker')}&from=now-10m&limit=1000`,
    ).catch(() => undefined);
    if (res === undefined || res.status !== 200) return;
    const now = performance.now();
    const body = (await res.json()) as { hits: Array<{ message: string }> };
    for (const hit of body.hits) {
      const token = hit.message.split(' ')[1];
      if (!seenAt.has(token)) seenAt.set(token, now);
    }
  };
  const polling = (async () => {
    while (sending) {
      await poll();
      await sleep(100);
    }
  })();
  const loadResult = await load;
  sending = false;
  await markers;
  await polling;
  for (let i = 0; i < 100 && seenAt.size < sentAt.size; i++) {
    await poll();
    await sleep(100);
  }
  const latencies = [...sentAt]
    .filter(([t]) => seenAt.has(t))
    .map(([t, at]) => (seenAt.get(t) as number) - at);
  return {
    rate,
    markers: sentAt.size,
    found: latencies.length,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    max: quantile(latencies, 1),
    acceptedPerSecond: loadResult.accepted / LATENCY_S,
    load: load1(),
  };
}

/** `--burst`: `events` sent unpaced, then until every stage took them; CPU per event over all of it. */
async function burst(d: Deployment, events: number) {
  const bodies = buildBodies(100, BATCH);
  const load = [load1(), 0];
  const first = await snapshot(d.metricsUrls, d.pids, d.enrichedTopic);
  const sent = await sendCount({ url: d.ingestUrl, bodies, events, inFlight: IN_FLIGHT });
  const ingested = performance.now();
  let last = await snapshot(d.metricsUrls, d.pids, d.enrichedTopic);
  const taken = (s: Snapshot, stage: (typeof STAGES)[number]) => s.inputs[stage] - first.inputs[stage];
  const done = (s: Snapshot) =>
    (['processor', 'indexer', 'archiver'] as const).every((stage) => taken(s, stage) >= sent.accepted);
  for (let i = 0; i < 600 && !done(last); i++) {
    await sleep(500);
    last = await snapshot(d.metricsUrls, d.pids, d.enrichedTopic);
  }
  load[1] = load1();
  const seconds = (last.at - first.at) / 1000;
  const cpuUsPerEvent: Record<string, number> = {};
  const cores: Record<string, number> = {};
  for (const group of Object.keys(last.cpu)) {
    const cpu = last.cpu[group] - (first.cpu[group] ?? 0);
    cores[group] = cpu / seconds;
    cpuUsPerEvent[group] = (cpu / sent.accepted) * 1e6;
  }
  const consumers = STAGES.filter((s) => s !== 'gateway' && s !== 'metrics');
  const result = {
    events: sent.accepted,
    failed: sent.failed,
    drained: done(last),
    ingestSeconds: (ingested - first.at) / 1000,
    seconds,
    eventsPerSecond: sent.accepted / seconds,
    cpuUsPerEvent,
    cores,
    handlerUsPerEvent: Object.fromEntries(
      consumers.map((s) => [s, ((last.handlerSeconds[s] - first.handlerSeconds[s]) / sent.accepted) * 1e6]),
    ),
    meanBatch: Object.fromEntries(
      consumers.map((s) => [s, taken(last, s) / Math.max(1, last.batches[s] - first.batches[s])]),
    ),
    load,
  };
  const total = Object.values(cpuUsPerEvent).reduce((sum, us) => sum + us, 0);
  log(
    `${d.kind} burst of ${int(result.events)} events (${result.failed} requests failed): ingested in ${fixed(result.ingestSeconds)} s, every stage done in ${fixed(seconds)} s${result.drained ? '' : ' (NOT drained)'} = ${int(result.eventsPerSecond)} events/s; CPU µs/event ${Object.entries(
      cpuUsPerEvent,
    )
      .map(([g, us]) => `${g} ${fixed(us)} (${fixed(cores[g], 2)} cores)`)
      .join(', ')}, total ${fixed(total)}; handler µs/event ${Object.entries(result.handlerUsPerEvent)
      .map(([s, us]) => `${s} ${fixed(us)}`)
      .join(', ')}; mean batch ${Object.entries(result.meanBatch)
      .map(([s, n]) => `${s} ${int(n)}`)
      .join(', ')}; load ${fixed(load[0])}→${fixed(load[1])}`,
  );
  return { kind: d.kind, burst: result };
}

async function run(d: Deployment) {
  const bodies = buildBodies(100, BATCH);
  const steps: StepResult[] = [];
  for (const rate of RATES) {
    const r = await step(d, bodies, rate);
    steps.push(r);
    log(
      `${d.kind} ${int(rate)}/s: took ${int(r.acceptedPerSecond)}/s (missed ${r.missed}, failed ${r.failed}, request p95 ${int(r.requestP95Ms)} ms); stages ${STAGES.map((s) => `${s} ${int(r.stageRates[s])}`).join(', ')}; backlog ${Object.entries(
        r.backlogEnd,
      )
        .map(([s, b]) => `${s} ${int(b)} (${r.backlogGrowth[s] >= 0 ? '+' : ''}${int(r.backlogGrowth[s])})`)
        .join(', ')}; cores ${Object.entries(r.cores)
        .map(([g, c]) => `${g} ${fixed(c, 2)}`)
        .join(
          ', ',
        )}; load ${fixed(r.load[0])}→${fixed(r.load[1])}: ${r.passed ? 'sustained' : `FALLS BEHIND (${r.saturated})`}`,
    );
    const drained = await drain(d, 60_000);
    if (!r.passed || !drained) break;
  }
  const best = steps.filter((s) => s.passed).at(-1);
  // Half the highest sustained rate; when none was sustained (a machine busy with other work), half of
  // what the first step got through, so the latency is still measured under load.
  const latencyRate =
    best?.rate ?? Math.max(BATCH, Math.round(steps[0].acceptedPerSecond / 2 / BATCH) * BATCH);
  const latency = await searchable(d, bodies, best === undefined ? latencyRate : best.rate / 2);
  if (latency !== undefined)
    log(
      `${d.kind} ingest→searchable at ${int(latency.rate)}/s: p50 ${int(latency.p50)} ms, p95 ${int(latency.p95)} ms, max ${int(latency.max)} ms (${latency.found}/${latency.markers} markers), load ${fixed(latency.load)}`,
    );
  return {
    kind: d.kind,
    steps,
    max: best?.rate ?? 0,
    saturated: steps.find((s) => !s.passed)?.saturated,
    latency,
  };
}

function report(results: Awaited<ReturnType<typeof run>>[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`### ${r.kind}`, '');
    const groups = Object.keys(r.steps[0]?.cores ?? {});
    lines.push(
      table(
        [
          'rate/s',
          'took/s',
          'request p95 ms',
          ...groups.map((g) => `${g} µs/event (cores)`),
          'backlog end (growth)',
          'load',
          'result',
        ],
        r.steps.map((s) => [
          int(s.rate),
          int(s.acceptedPerSecond),
          int(s.requestP95Ms),
          ...groups.map((g) => `${fixed(s.cpuUsPerEvent[g])} (${fixed(s.cores[g], 2)})`),
          Object.entries(s.backlogEnd)
            .map(([k, b]) => `${k} ${int(b)} (${int(s.backlogGrowth[k])})`)
            .join(', '),
          `${fixed(s.load[0])}→${fixed(s.load[1])}`,
          s.passed ? 'sustained' : `behind: ${s.saturated}`,
        ]),
      ),
      '',
    );
    const top = r.steps.filter((s) => s.passed).at(-1) ?? r.steps[0];
    if (top !== undefined) {
      // What the CPU per event allows on this machine's cores were they free: the figure least moved by
      // other load, where events/s above depend on how much CPU the neighbours left.
      const perEvent = Object.values(top.cpuUsPerEvent).reduce((sum, us) => sum + us, 0);
      lines.push(
        `CPU per event through every stage at ${int(top.rate)}/s: ${fixed(perEvent)} µs → ${int((availableParallelism() * 1e6) / perEvent)} events/s on ${availableParallelism()} free cores (Sluice's processes only; engines not counted).`,
        '',
      );
      lines.push(
        `Batch handler time per event at ${int(top.rate)}/s (µs): ${Object.entries(top.handlerUsPerEvent)
          .map(([s, us]) => `${s} ${fixed(us)}`)
          .join(', ')}; mean records per batch: ${Object.entries(top.meanBatch)
          .map(([s, n]) => `${s} ${int(n)}`)
          .join(', ')}`,
        '',
      );
    }
    lines.push(
      `Highest sustained: **${int(r.max)} events/s**; first to fall behind: ${r.saturated ?? 'none within the rates tried'}.`,
    );
    if (r.latency !== undefined)
      lines.push(
        `Ingest→searchable at ${int(r.latency.rate)}/s (half of it): p50 ${int(r.latency.p50)} ms, **p95 ${int(r.latency.p95)} ms**, max ${int(r.latency.max)} ms, ${r.latency.found}/${r.latency.markers} markers found; load ${fixed(r.latency.load)}.`,
      );
    if (r.kind === 'standalone')
      lines.push(
        '',
        `Target: ≥ ${int(TARGET_STANDALONE)} events/s sustained with p95 ≤ ${TARGET_P95_MS} ms: ${r.max >= TARGET_STANDALONE && (r.latency?.p95 ?? Infinity) <= TARGET_P95_MS ? 'PASS' : 'FAIL'}.`,
      );
    lines.push('');
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const modes = values.mode.split(',');
  log(`bench:e2e: ${machineLine()}; load ${loadLine()}`);
  const results: Awaited<ReturnType<typeof run>>[] = [];
  const bursts: Awaited<ReturnType<typeof burst>>[] = [];
  for (const mode of modes) {
    const dir = await mkdtemp(join(tmpdir(), `sluice-bench-e2e-${mode}-`));
    const iso = mode === 'distributed' ? isolate('bench-e2e') : undefined;
    let d: Deployment | undefined;
    try {
      if (mode === 'distributed') {
        await requireEngines('kafka', 'opensearch', 'postgres', 's3');
        d = await startDistributed(dir, iso!, values['gateway-processes'], Number(values.partitions));
      } else {
        if (CPU_PROF !== undefined) await mkdir(CPU_PROF, { recursive: true });
        d = await startStandalone(dir, values['gateway-processes'], {
          cpuProfDir: CPU_PROF,
          repo: values.repo,
        });
      }
      log(`${mode}: started (${d.ingestUrl}); load ${loadLine()}`);
      if (values.burst !== undefined) bursts.push(await burst(d, Number(values.burst)));
      else results.push(await run(d));
    } finally {
      await d?.stop().catch((error) => log(`stop failed: ${error}`));
      await iso?.cleanup().catch((error) => log(`cleanup failed: ${error}`));
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (results.length > 0) console.log(`\n${report(results)}`);
  if (CPU_PROF !== undefined && modes.includes('standalone'))
    for (const file of await readdir(CPU_PROF))
      if (file.endsWith('.cpuprofile'))
        console.log(`\n${profileSummary(join(CPU_PROF, file), 25).join('\n')}\n`);
  if (values.json !== undefined)
    await writeFile(values.json, `${JSON.stringify(results.length > 0 ? results : bursts, null, 2)}\n`);
  return 0;
}

process.exit(await main());
