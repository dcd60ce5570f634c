/**
 * Gateway ingest throughput and latency against the real local Kafka (acks=all), with the broker's own
 * producer as the physical reference. Not a test; needs deploy/local/up's Kafka.
 *
 *   npm run bench:gateway -- [--concurrency 4,8,16] [--duration 20] [--half-duration 20] [--warmup 5]
 *                            [--sweep 5] [--ref-records 500000] [--ref-seconds 45] [--no-ref]
 *                            [--cpu-prof DIR] [--json FILE]
 *                            [--repo DIR]   # run the gateway from another checkout (e.g. a patched copy)
 *                            [--processes auto] # listen.processes of each gateway (its CPU: all of them)
 *                            [--gateways 1] # N separate gateways, load spread evenly (scale-out check)
 *                            [--protocol all|ingest,otlp-json,otlp-protobuf,otlp-grpc,loki-json,
 *                                        loki-protobuf,es-bulk,hec] [--rounds 1]
 *                            [--client kafkajs,platformatic] # bus.client of each gateway run, --rounds times
 *
 * `--protocol` compares the ingest protocols instead (gateway/protocolRun.ts): CPU per event of each,
 * against the native route in the same run, `--duration` seconds each at the first `--concurrency`.
 *
 * The gateway runs as a child process (`node backend/main.ts --config …`, roles: [gateway]) on topics
 * `bench.<runid>.*`; this process drives it with undici over keep-alive connections, posting pre-built
 * gzip NDJSON bodies of 1,000 ~250-byte events. Phases: warm-up; a short sweep over the concurrency list
 * (closed loop) to pick the best; full load (closed loop at that concurrency); half load (open loop at
 * half the full-load request rate, latency from the scheduled send time). Then it checks that the raw
 * topic holds exactly the events the gateway acknowledged and stops the gateway. This is one run per
 * `--client` (the gateway's bus.client), `--rounds` times, the clients alternating, each on its own raw
 * topic (`bench.<runid>.<n>.logs.raw`); the sweep is done in the first run only. Finally it runs
 * org.apache.kafka.tools.ProducerPerformance from the broker's jars on `bench.<runid>.ref` (at most
 * `--ref-seconds`: stopped then, its figure is taken from its progress lines), prints the tables with the
 * ratio to it and deletes the bench topics.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pool } from 'undici';
import { quietKnownWarnings } from '../../backend/server/quietWarnings.ts';
import { engineSettings } from '../helpers/engineSettings.ts';
import { freePort } from '../helpers/freePort.ts';
import { makeBodies } from './gateway/bodies.ts';
import { cpuSeconds, type GatewayChild, startGateway } from './gateway/gatewayProcess.ts';
import {
  kafkaAdmin,
  kafkaBrokerPid,
  kafkaVersion,
  type ReferenceResult,
  runReference,
  topicRecords,
  topicsWithPrefix,
} from './gateway/kafka.ts';
import { closedLoop, openLoop, openPool, type PhaseResult } from './gateway/load.ts';
import { measured } from './gateway/measure.ts';
import { runProtocols } from './gateway/protocolRun.ts';
import { PROTOCOL_LOADS } from './gateway/protocols.ts';
import {
  cpuPerEvent,
  int,
  ms,
  type PhaseSummary,
  phaseTable,
  summarize,
  type Target,
  targetTable,
} from './gateway/report.ts';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '4,8,16' },
    duration: { type: 'string', default: '20' },
    'half-duration': { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    sweep: { type: 'string', default: '5' },
    'ref-records': { type: 'string', default: '500000' },
    'ref-seconds': { type: 'string', default: '45' },
    'no-ref': { type: 'boolean', default: false },
    partitions: { type: 'string', default: '3' },
    'cpu-prof': { type: 'string' },
    repo: { type: 'string' },
    gateways: { type: 'string', default: '1' },
    processes: { type: 'string', default: 'auto' },
    client: { type: 'string', default: 'kafkajs,platformatic' },
    json: { type: 'string' },
    protocol: { type: 'string' },
    rounds: { type: 'string', default: '1' },
  },
});

const EVENTS_PER_BODY = 1000;
const TARGET_EVENTS_PER_SEC = 100_000;
const TARGET_HALF_P95_MS = 25;
const TARGET_RATIO = 0.5;

const concurrencies = values.concurrency
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const duration = Number(values.duration);
const halfDuration = Number(values['half-duration']);
const warmup = Number(values.warmup);
const sweepSeconds = Number(values.sweep);
const partitions = Number(values.partitions);
const processes = values.processes === 'auto' ? 'auto' : Number(values.processes);
if (processes !== 'auto' && !(Number.isInteger(processes) && processes >= 1))
  throw new Error('--processes takes auto or a whole number ≥ 1');
const brokers = engineSettings().kafkaBrokers;
const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const prefix = `bench.${runId}.`;
const clientRuns = Array.from({ length: Number(values.rounds) }, () =>
  values.client.split(',').filter((c) => c !== ''),
).flat();
const refTopic = `${prefix}ref`;

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function brief(p: PhaseSummary): string {
  return `${p.name} [${p.concurrency}]: ${int(p.eventsPerSec)} events/s (${cpuPerEvent(p).toFixed(1)} µs gateway CPU/event), p50 ${ms(p.p50)} / p95 ${ms(p.p95)} / p99 ${ms(p.p99)} ms, failed ${p.failed}, CPU gw ${p.cpu.gateway.toFixed(2)} broker ${p.cpu.broker?.toFixed(2) ?? '-'} bench ${p.cpu.bench.toFixed(2)}, load ${p.load.start.toFixed(2)}→${p.load.end.toFixed(2)}`;
}

/** One gateway run on one Kafka client: its phases and whether its topic holds what it acknowledged. */
interface ClientRun {
  client: string;
  phases: PhaseSummary[];
  fullSum: PhaseSummary;
  halfSum: PhaseSummary;
  acknowledged: number;
  stored: number;
  verified: 'exact' | 'extra' | 'mismatch';
}

async function main(): Promise<number> {
  if (concurrencies.length === 0) throw new Error('--concurrency needs at least one positive integer');
  const admin = kafkaAdmin(brokers);
  await admin.connect();
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-gateway-'));
  const gateways: GatewayChild[] = [];
  const pools: Pool[] = [];
  let exitCode = 0;
  try {
    log(
      `run ${runId}: brokers ${brokers.join(',')}, Kafka ${kafkaVersion()}, Node ${process.version}, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    if (values.protocol !== undefined) {
      const names = values.protocol === 'all' ? Object.keys(PROTOCOL_LOADS) : values.protocol.split(',');
      const result = await runProtocols({
        names: names.map((n) => n.trim()),
        rounds: Number(values.rounds),
        concurrency: concurrencies[0],
        seconds: duration,
        warmup,
        dir,
        brokers,
        topicPrefix: prefix,
        rawTopic: `${prefix}logs.raw`,
        partitions,
        admin,
        repo: values.repo,
        cpuProfDir: values['cpu-prof'],
        log,
      });
      process.stdout.write(result.markdown);
      return result.exitCode;
    }
    const bodies = makeBodies(32, EVENTS_PER_BODY);
    const avgRaw = bodies.reduce((s, b) => s + b.rawBytes, 0) / bodies.length;
    const avgWire = bodies.reduce((s, b) => s + b.gzip.byteLength, 0) / bodies.length;
    log(
      `bodies: ${bodies.length} × ${EVENTS_PER_BODY} events, ${int(avgRaw)} B NDJSON (${(avgRaw / EVENTS_PER_BODY).toFixed(0)} B/event), ${int(avgWire)} B gzip`,
    );

    const maxN = Math.max(...concurrencies);
    const gatewayCount = Number(values.gateways);
    let best = concurrencies[0];
    const runs: ClientRun[] = [];
    for (const [index, client] of clientRuns.entries()) {
      const topicPrefix = `${prefix}${index}.`;
      const rawTopic = `${topicPrefix}logs.raw`;
      for (let g = 0; g < gatewayCount; g++) {
        const child = await startGateway({
          dir,
          port: await freePort(),
          brokers,
          client,
          topicPrefix,
          partitions,
          cpuProfDir: values['cpu-prof'],
          repo: values.repo,
          processes,
        });
        gateways.push(child);
        log(
          `gateway pid ${child.pid} (${client}) ready at ${child.url}${values.repo === undefined ? '' : ` (code from ${values.repo})`}`,
        );
        pools.push(openPool(child.url, maxN * 4));
      }
      const pids = gateways.map((g) => g.pid);
      const p = pools;
      const phases: PhaseSummary[] = [];
      let acknowledged = 0;
      let failedRequests = 0;
      const record = (r: PhaseResult) => {
        acknowledged += r.accepted;
        failedRequests += r.failed;
        for (const [why, n] of Object.entries(r.failures)) log(`  ${n} × ${why}`);
      };
      const named = (sum: PhaseSummary): PhaseSummary => ({ ...sum, name: `${sum.name}, ${client}` });

      const w = await measured(pids, () => closedLoop('warm-up', p, bodies, Math.min(8, maxN), warmup));
      record(w.result);
      log(brief(named(summarize(w.result, String(Math.min(8, maxN)), w.cpu))));

      if (index === 0 && concurrencies.length > 1) {
        let bestRate = -1;
        for (const n of concurrencies) {
          const s = await measured(pids, () => closedLoop('sweep', p, bodies, n, sweepSeconds));
          record(s.result);
          const sum = named(summarize(s.result, `${n} in flight`, s.cpu));
          phases.push(sum);
          log(brief(sum));
          if (sum.eventsPerSec > bestRate) {
            bestRate = sum.eventsPerSec;
            best = n;
          }
        }
      }

      const full = await measured(pids, () => closedLoop('full load', p, bodies, best, duration));
      record(full.result);
      const fullSum = named(summarize(full.result, `${best} in flight`, full.cpu));
      phases.push(fullSum);
      log(brief(fullSum));

      const fullRate = full.result.ok / full.result.seconds;
      const halfRate = fullRate / 2;
      const half = await measured(pids, () => openLoop('half load', p, bodies, halfRate, halfDuration));
      record(half.result);
      // Throughput of an open loop is over its schedule, not over the tail spent waiting for answers.
      const halfSum = named(
        summarize(half.result, `${halfRate.toFixed(1)} req/s open`, half.cpu, halfDuration),
      );
      phases.push(halfSum);
      log(`${brief(halfSum)}, worst send lag ${half.result.maxSendLagMs?.toFixed(1)} ms`);
      const stalls = half.result.worstBySecond
        .map((worst, second) => ({ second, worst }))
        .filter((x) => x.worst > Math.max(100, 5 * halfSum.p50));
      if (stalls.length > 0) {
        log(
          `  half load: seconds with a request over ${Math.max(100, 5 * halfSum.p50).toFixed(0)} ms: ${stalls.map((x) => `t+${x.second}s ${x.worst.toFixed(0)} ms`).join(', ')}`,
        );
      }

      await Promise.all(pools.splice(0).map((pool) => pool.close()));

      // Exactly what was acknowledged must be in the topic: fewer is data loss; more means requests that
      // failed on the client's side were still stored (at-least-once: the client would resend them).
      const stored = await topicRecords(admin, rawTopic);
      const verified =
        stored === acknowledged
          ? 'exact'
          : stored > acknowledged && failedRequests > 0
            ? 'extra'
            : 'mismatch';
      log(
        `verify: gateway acknowledged ${int(acknowledged)} events, ${rawTopic} holds ${int(stored)} (${verified})`,
      );

      for (const child of gateways.splice(0)) {
        const code = await child.stop();
        if (code !== 0) log(`gateway ${child.pid} exited with ${code}`);
      }
      runs.push({ client, phases, fullSum, halfSum, acknowledged, stored, verified });
    }
    if (values['cpu-prof'] !== undefined) log(`gateway CPU profile written under ${values['cpu-prof']}`);

    let reference: ReferenceResult | null = null;
    let refLoad: { start: number; end: number } | null = null;
    let refBrokerCpu: number | null = null;
    if (!values['no-ref']) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: refTopic, numPartitions: partitions, replicationFactor: 1 }],
      });
      const brokerPid = kafkaBrokerPid();
      const b0 = brokerPid === null ? 0 : cpuSeconds(brokerPid);
      refLoad = { start: loadavg()[0], end: 0 };
      log(
        `reference: ProducerPerformance, ${int(Number(values['ref-records']))} records of 250 B on ${refTopic}`,
      );
      // Stopped at --ref-seconds on a busy machine, its figure comes from its progress lines; one that
      // printed nothing at all leaves the gateway figures standing, reported without the ratio.
      reference = await runReference({
        brokers,
        topic: refTopic,
        records: Number(values['ref-records']),
        recordSize: 250,
        timeoutMs: Number(values['ref-seconds']) * 1000,
      }).catch((error: unknown) => {
        log(`reference did not finish: ${(error as Error).message.split('\n')[0]}`);
        return null;
      });
      refLoad.end = loadavg()[0];
      if (reference !== null) {
        refBrokerCpu = brokerPid === null ? null : (cpuSeconds(brokerPid) - b0) / reference.seconds;
        log(`reference: ${reference.line}`);
        for (const run of runs)
          log(
            `ratio, ${run.client}: ${(run.fullSum.eventsPerSec / reference.recordsPerSec).toFixed(2)} (gateway ${int(run.fullSum.eventsPerSec)} events/s / reference ${int(reference.recordsPerSec)} records/s)`,
          );
        // A stopped tool may have had more records acknowledged than its last progress line counted.
        const refStored = await topicRecords(admin, refTopic);
        if (!reference.stopped && refStored !== reference.records)
          log(`reference topic holds ${refStored}, tool reported ${reference.records}`);
      }
    }

    const targets: Target[] = runs.flatMap((run, i) => {
      const { fullSum, halfSum } = run;
      const ratio = reference === null ? null : fullSum.eventsPerSec / reference.recordsPerSec;
      const label = `#${i + 1}, ${run.client}`;
      return [
        {
          what: `gateway events/s at full load (${label})`,
          target: `≥ ${int(TARGET_EVENTS_PER_SEC)}`,
          measured: `${int(fullSum.eventsPerSec)} (${cpuPerEvent(fullSum).toFixed(1)} CPU-µs/event, load ${fullSum.load.start.toFixed(1)})`,
          pass: fullSum.eventsPerSec >= TARGET_EVENTS_PER_SEC,
        },
        {
          what: `p95 latency at half load (${label})`,
          target: `≤ ${TARGET_HALF_P95_MS} ms`,
          measured: `${ms(halfSum.p95)} ms`,
          pass: halfSum.p95 <= TARGET_HALF_P95_MS,
        },
        {
          what: `gateway / broker's own producer (${label})`,
          target: `≥ ${TARGET_RATIO}`,
          measured:
            reference === null || ratio === null
              ? 'not run'
              : `${ratio.toFixed(2)} (${int(fullSum.eventsPerSec)} / ${int(reference.recordsPerSec)})`,
          pass: ratio === null ? null : ratio >= TARGET_RATIO,
        },
        {
          what: `topic holds exactly the acknowledged events (${label})`,
          target: 'equal',
          measured: `${int(run.stored)} stored / ${int(run.acknowledged)} acked`,
          pass: run.verified !== 'mismatch',
        },
      ];
    });

    const out = [
      '',
      `## bench:gateway ${new Date().toISOString()} run ${runId}`,
      `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}; Node ${process.version}; Kafka ${kafkaVersion()}; ${partitions} partitions, replication 1, acks=all, zstd; ${gateways.length || Number(values.gateways)} gateway(s), listen.processes: ${processes}${values.repo === undefined ? '' : ` from ${values.repo}`}`,
      `bodies: ${EVENTS_PER_BODY} events, ${int(avgRaw)} B NDJSON, ${int(avgWire)} B gzip; CPU columns are cores used (2 = the whole machine)`,
      '',
      phaseTable(runs.flatMap((r) => r.phases)),
      '',
      reference === null
        ? `Kafka reference: ${values['no-ref'] ? 'not run (--no-ref)' : 'did not finish'}`
        : `Kafka reference (ProducerPerformance, ${int(reference.records)} records of 250 B${reference.stopped ? `, stopped at ${values['ref-seconds']} s: from its progress lines` : ''}, acks=all, zstd, linger.ms=5, batch.size=262144): ${int(reference.recordsPerSec)} records/s, ${reference.mbPerSec.toFixed(1)} MB/s, latency avg ${reference.avgLatencyMs.toFixed(1)}${reference.p50 === null ? '' : ` / p50 ${reference.p50} / p95 ${reference.p95} / p99 ${reference.p99}`} ms, cores broker ${refBrokerCpu?.toFixed(2) ?? '-'} / tool ${reference.toolCores.toFixed(2)}, load ${refLoad?.start.toFixed(2)}→${refLoad?.end.toFixed(2)}`,
      '',
      targetTable(targets),
      '',
    ].join('\n');
    process.stdout.write(out);

    if (values.json !== undefined) {
      await writeFile(
        values.json,
        `${JSON.stringify({ runId, runs, reference, refBrokerCpu, refLoad, targets }, null, 2)}\n`,
      );
    }
    // A missed performance target is a result; lost data means the benchmark (or the gateway) is wrong.
    exitCode = runs.some((r) => r.verified === 'mismatch') ? 1 : 0;
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? error}`);
    for (const child of gateways) log(`gateway ${child.pid} log tail:\n${child.logTail().join('\n')}`);
    exitCode = 2;
  } finally {
    await Promise.all(pools.map((pool) => pool.close().catch(() => undefined)));
    await Promise.all(gateways.map((child) => child.stop().catch(() => undefined)));
    try {
      const mine = await topicsWithPrefix(admin, prefix);
      if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
      log(`deleted topics ${mine.join(', ')}`);
    } catch (error) {
      log(`could not delete bench topics (${prefix}*): ${(error as Error).message}`);
    }
    await admin.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
  return exitCode;
}

quietKnownWarnings();
process.exitCode = await main();
