/**
 * The Kafka side of the gateway benchmark: counting what a topic holds, the broker's own producer
 * (`kafka-producer-perf-test`'s class, run from the broker's jars) as the physical reference, cleanup.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import kafkajs, { type Admin } from 'kafkajs';
import { versionsEnv } from '../../helpers/engineSettings.ts';
import { cpuSeconds } from './gatewayProcess.ts';

const cpuSecondsOf = (pid: number | undefined): number => (pid === undefined ? 0 : cpuSeconds(pid));

const { Kafka, logLevel } = kafkajs;

export function kafkaAdmin(brokers: string[]): Admin {
  return new Kafka({ brokers, clientId: 'sluice-bench', logLevel: logLevel.NOTHING }).admin();
}

/** Records a topic holds: the sum over its partitions of high watermark minus low. */
export async function topicRecords(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
}

/** Names of topics starting with `prefix` (the bench's own, for cleanup). */
export async function topicsWithPrefix(admin: Admin, prefix: string): Promise<string[]> {
  return (await admin.listTopics()).filter((t) => t.startsWith(prefix));
}

export function kafkaVersion(): string {
  return process.env.KAFKA_VERSION ?? versionsEnv().KAFKA_VERSION;
}

/** The broker's jar directory, as deploy/local/lib/kafka.sh lays it out. */
export function kafkaJarsDir(): string {
  const cache = process.env.SLUICE_CACHE ?? join(homedir(), '.cache/sluice');
  return join(cache, 'engines', `kafka-${kafkaVersion()}`, 'jars');
}

/** The broker's pid from deploy/local's state dir, for its CPU time (null when not found). */
export function kafkaBrokerPid(): number | null {
  const state = process.env.SLUICE_STATE ?? join(homedir(), '.cache/sluice/state');
  try {
    const pid = Number(readFileSync(join(state, 'kafka/kafka.pid'), 'utf8').trim());
    return Number.isInteger(pid) && existsSync(`/proc/${pid}`) ? pid : null;
  } catch {
    return null;
  }
}

/** `java` as deploy/local/lib/common.sh finds it: SLUICE_JAVA_HOME, JAVA_HOME, else PATH. */
function javaBinary(): string {
  for (const home of [process.env.SLUICE_JAVA_HOME, process.env.JAVA_HOME]) {
    if (home !== undefined && home !== '' && existsSync(join(home, 'bin/java')))
      return join(home, 'bin/java');
  }
  return 'java';
}

export interface ReferenceResult {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  /** Percentiles of the tool's summary; null when the time bound stopped it (its progress lines have none). */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  line: string;
  seconds: number;
  /** Cores the tool's JVM used on average over its run (start-up included). */
  toolCores: number;
  /** True when the time bound stopped the tool: the figures are its progress lines' (5-second windows). */
  stopped: boolean;
  command: string;
}

export interface ReferenceOptions {
  brokers: string[];
  topic: string;
  records: number;
  recordSize: number;
  /**
   * Stop the tool after this long; the figure is then taken from the progress lines it printed (one per
   * 5 s), so a busy machine still gives a reference, over fewer records.
   */
  timeoutMs: number;
}

/**
 * Runs org.apache.kafka.tools.ProducerPerformance with the producer settings of a well-tuned client
 * (acks=all, idempotent by default, zstd, linger 5 ms, 256 KiB batches) and parses its summary line:
 * `N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50 ms 50th, …`.
 * The JVM gets the heap kafka-producer-perf-test.sh gives it (512 MiB, fixed so it never resizes).
 */
export async function runReference(options: ReferenceOptions): Promise<ReferenceResult> {
  const args = [
    '-Xms512m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-Dlog4j2.level=warn',
    '-cp',
    `${kafkaJarsDir()}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--bootstrap-server',
    options.brokers.join(','),
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--record-size',
    String(options.recordSize),
    '--throughput',
    '-1',
    '--command-property',
    'acks=all',
    'enable.idempotence=true',
    'compression.type=zstd',
    'linger.ms=5',
    'batch.size=262144',
  ];
  const java = javaBinary();
  const started = performance.now();
  const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8');
    if (err.length > 20_000) err = err.slice(-10_000);
  });
  let stopped = false;
  const timer = setTimeout(() => {
    stopped = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  // /proc is gone once the JVM exits, so its CPU time is sampled while it runs.
  let toolCpu = 0;
  const sampler = setInterval(() => {
    toolCpu = Math.max(toolCpu, cpuSecondsOf(child.pid));
  }, 250);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const command = `${java} ${args.map((a) => (a.includes('*') ? `'${a}'` : a)).join(' ')}`;
  const common = { seconds, toolCores: toolCpu / seconds, command };
  const summary =
    /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, [\d.]+ ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/m;
  // The summary is the last matching line (progress lines look different: "records sent, … records/sec").
  const lines = out.split('\n').filter((l) => summary.test(l));
  const line = lines[lines.length - 1];
  const m = line === undefined ? null : summary.exec(line);
  if (m !== null) {
    return {
      records: Number(m[1]),
      recordsPerSec: Number(m[2]),
      mbPerSec: Number(m[3]),
      avgLatencyMs: Number(m[4]),
      p50: Number(m[5]),
      p95: Number(m[6]),
      p99: Number(m[7]),
      line: line.trim(),
      stopped: false,
      ...common,
    };
  }
  const windows = progressWindows(out);
  if (stopped && windows.length > 0) {
    // As the summary would have counted them: every record sent so far over the time it took.
    const records = windows.reduce((s, w) => s + w.records, 0);
    const windowSeconds = windows.reduce((s, w) => s + w.records / w.perSec, 0);
    const mb = windows.reduce((s, w) => s + (w.mbPerSec * w.records) / w.perSec, 0);
    return {
      records,
      recordsPerSec: records / windowSeconds,
      mbPerSec: mb / windowSeconds,
      avgLatencyMs: windows.reduce((s, w) => s + w.avgLatencyMs * w.records, 0) / records,
      p50: null,
      p95: null,
      p99: null,
      line: `stopped after ${(options.timeoutMs / 1000).toFixed(0)} s; ${windows.length} progress lines, the last: ${windows[windows.length - 1].line}`,
      stopped: true,
      ...common,
    };
  }
  throw new Error(
    `ProducerPerformance gave no summary and no progress (exit ${code}, ${seconds.toFixed(1)} s):\n${out.slice(-2000)}\n${err.slice(-2000)}`,
  );
}

interface ProgressWindow {
  records: number;
  perSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  line: string;
}

/** The tool's progress lines: `N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency.` */
export function progressWindows(out: string): ProgressWindow[] {
  const progress =
    /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, [\d.]+ ms max latency\.$/;
  return out.split('\n').flatMap((l) => {
    const m = progress.exec(l.trim());
    return m === null || Number(m[2]) <= 0
      ? []
      : [
          {
            records: Number(m[1]),
            perSec: Number(m[2]),
            mbPerSec: Number(m[3]),
            avgLatencyMs: Number(m[4]),
            line: l.trim(),
          },
        ];
  });
}
