/**
 * `bench:gateway --protocol <names|all>`: the gateway's CPU per event for each ingest protocol, against
 * the native route (gzip NDJSON on /api/v1/ingest) measured in the same run, before and after the others
 * (so drift in the machine's load shows). One gateway process on the real local Kafka, every protocol
 * posting the same 1,000 events a request (protocols.ts) with N requests in flight for `seconds`.
 */
import { cpus, loadavg } from 'node:os';
import type { Admin } from 'kafkajs';
import { logsClient } from '../../../gateway/protocols/otlp-grpc/testing/logsClient.ts';
import { freePort } from '../../helpers/freePort.ts';
import { startGateway } from './gatewayProcess.ts';
import { kafkaVersion, topicRecords } from './kafka.ts';
import { closedLoop, openPool, type PhaseResult } from './load.ts';
import { measured } from './measure.ts';
import { PROTOCOL_LOADS, type ProtocolLoad, protocolBodies, type WireBody } from './protocols.ts';
import { type CpuShare, cpuPerEvent, int, ms, type PhaseSummary, summarize } from './report.ts';

/** A protocol's CPU per event may be this many times the native route's (issue 15). */
const TARGET_RATIO = 1.5;
const EVENTS_PER_BODY = 1000;
const BODIES = 16;

export interface ProtocolRunOptions {
  names: string[];
  /** The whole sequence (native, each protocol, native) this many times; figures are over all rounds. */
  rounds: number;
  concurrency: number;
  seconds: number;
  warmup: number;
  dir: string;
  brokers: string[];
  topicPrefix: string;
  rawTopic: string;
  partitions: number;
  admin: Admin;
  repo?: string;
  cpuProfDir?: string;
  log(line: string): void;
}

interface Run {
  protocol: string;
  summary: PhaseSummary;
  wireBytes: number;
  events: number;
}

export async function runProtocols(
  options: ProtocolRunOptions,
): Promise<{ markdown: string; exitCode: number }> {
  const unknown = options.names.filter((n) => !(n in PROTOCOL_LOADS));
  if (unknown.length > 0)
    throw new Error(
      `--protocol: unknown ${unknown.join(', ')}; known: ${Object.keys(PROTOCOL_LOADS).join(', ')}, all`,
    );
  // The native route first and last: the reference, and how much the machine drifted meanwhile.
  const order = ['ingest', ...options.names.filter((n) => n !== 'ingest'), 'ingest'];
  const grpcPort = await freePort();
  const gateway = await startGateway({
    dir: options.dir,
    port: await freePort(),
    grpcPort,
    brokers: options.brokers,
    topicPrefix: options.topicPrefix,
    partitions: options.partitions,
    repo: options.repo,
    cpuProfDir: options.cpuProfDir,
  });
  const grpc = logsClient(`127.0.0.1:${grpcPort}`, { gzip: true });
  // Built up front: a pause between phases would let the gateway close idle keep-alive connections.
  const bodies = new Map(
    order.map((name) => [name, protocolBodies(PROTOCOL_LOADS[name], BODIES, EVENTS_PER_BODY)]),
  );
  const runs: Run[] = [];
  let acknowledged = 0;
  try {
    options.log(`gateway pid ${gateway.pid} at ${gateway.url}, OTLP/gRPC on 127.0.0.1:${grpcPort}`);
    for (let round = 1; round <= options.rounds; round++)
      for (const name of order) {
        const load = PROTOCOL_LOADS[name];
        const pool = openPool(gateway.url, options.concurrency * 2);
        const phase = (label: string, seconds: number) =>
          run(load, label, bodies.get(name) as WireBody[], seconds);
        const run = (p: ProtocolLoad, label: string, b: WireBody[], seconds: number): Promise<PhaseResult> =>
          p.transport === 'http'
            ? closedLoop(label, [pool], b, options.concurrency, seconds, p.send)
            : closedLoop(label, [grpc], b, options.concurrency, seconds, p.send);
        try {
          const warm = await phase(`${name} warm-up`, options.warmup);
          acknowledged += warm.accepted;
          const { result, cpu } = await measured([gateway.pid], () => phase(name, options.seconds));
          acknowledged += result.accepted;
          for (const [why, n] of Object.entries({ ...warm.failures, ...result.failures }))
            options.log(`  ${name}: ${n} × ${why}`);
          const summary = summarize(result, String(options.concurrency), cpu as CpuShare);
          runs.push({ protocol: name, summary, wireBytes: result.wireBytes, events: result.accepted });
          options.log(
            `round ${round} ${name}: ${int(summary.eventsPerSec)} events/s, ${cpuPerEvent(summary).toFixed(1)} µs gateway CPU/event, ${(result.wireBytes / Math.max(1, result.accepted)).toFixed(0)} B/event on the wire, p50 ${ms(summary.p50)} ms, failed ${summary.failed}, load ${summary.load.start.toFixed(2)}→${summary.load.end.toFixed(2)}`,
          );
        } finally {
          await pool.close();
        }
      }
  } finally {
    grpc.close();
    const code = await gateway.stop();
    if (code !== 0) options.log(`gateway exited with ${code}`);
  }

  const stored = await topicRecords(options.admin, options.rawTopic);
  const exact = stored === acknowledged;
  options.log(`verify: acknowledged ${int(acknowledged)} events, ${options.rawTopic} holds ${int(stored)}`);
  // Over all of a protocol's runs: its gateway CPU seconds over its acknowledged events.
  const total = (name: string) => {
    const mine = runs.filter((r) => r.protocol === name);
    const cpuSeconds = mine.reduce((sum, r) => sum + r.summary.cpu.gateway * r.summary.seconds, 0);
    const events = mine.reduce((sum, r) => sum + r.events, 0);
    return {
      mine,
      perEvent: (cpuSeconds * 1e6) / Math.max(1, events),
      eventsPerSec: events / mine.reduce((sum, r) => sum + r.summary.seconds, 0),
      wire: mine.reduce((sum, r) => sum + r.wireBytes, 0) / Math.max(1, events),
      failed: mine.reduce((sum, r) => sum + r.summary.failed, 0),
      load: `${Math.min(...mine.map((r) => r.summary.load.start)).toFixed(1)}–${Math.max(...mine.map((r) => r.summary.load.end)).toFixed(1)}`,
    };
  };
  const reference = total('ingest').perEvent;
  const table = [
    '| protocol | events/s | µs gateway CPU/event | each run | ratio to native | target ≤ 1.5 | wire B/event | failed | load 1m |',
    '| --- | ---: | ---: | --- | ---: | --- | ---: | ---: | --- |',
    ...[...new Set(order)].map((protocol) => {
      const t = total(protocol);
      const ratio = t.perEvent / reference;
      const verdict = protocol === 'ingest' ? 'reference' : ratio <= TARGET_RATIO ? 'PASS' : '**FAIL**';
      const each = t.mine.map((r) => cpuPerEvent(r.summary).toFixed(1)).join(', ');
      return `| ${protocol} | ${int(t.eventsPerSec)} | ${t.perEvent.toFixed(1)} | ${each} | ${ratio.toFixed(2)} | ${verdict} | ${t.wire.toFixed(0)} | ${t.failed} | ${t.load} |`;
    }),
  ];
  const markdown = [
    '',
    `## bench:gateway --protocol ${new Date().toISOString()}`,
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}; Node ${process.version}; Kafka ${kafkaVersion()}; ${options.partitions} partitions, acks=all; 1 gateway process; ${options.concurrency} requests in flight, ${options.rounds} round(s) of ${options.seconds} s a protocol, ${EVENTS_PER_BODY} events a request; load now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    `native reference: ${reference.toFixed(1)} µs/event over its ${total('ingest').mine.length} runs (first and last of each round); wire bytes of otlp-grpc are before gRPC's gzip`,
    '',
    ...table,
    '',
    `topic holds ${int(stored)} of ${int(acknowledged)} acknowledged events: ${exact ? 'exact' : '**MISMATCH**'}`,
    '',
  ].join('\n');
  return { markdown, exitCode: exact ? 0 : 1 };
}
