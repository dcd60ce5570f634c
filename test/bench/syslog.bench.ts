/**
 * The syslog input's throughput and CPU per line, beside the file input reading the same messages
 * from a file in the same run (the reference: same parser, masking, batching and sink; only the input
 * differs). The real agent process (`node agent/main.ts`), masking on, zstd, into the counting sink of
 * bench:agent; the messages go over one TCP connection, octet-counted (RFC 6587), RFC 5424, 5 % with a
 * secret. CPU is the agent process's (all its threads), from /proc, while it received and shipped.
 *
 *   npm run bench:syslog [-- messages]        (default 300000)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/freePort.ts';
import { cpuSeconds } from './agent/agentRun.ts';
import { type Sink, startSink } from './agent/sink.ts';

const REPO = new URL('../../', import.meta.url).pathname;
const count = Number(process.argv[2] ?? 300_000);

function message(i: number): string {
  const secret = i % 20 === 0 ? ` password=hunter${i}` : '';
  return `<134>1 2026-12-07T09:00:00.${String(i % 1000).padStart(3, '0')}Z web-7 checkout 4242 ORDER [meta seq="${i}"] order ${i} paid in 42 ms by customer c-${i % 997}${secret}`;
}

interface Result {
  name: string;
  seconds: number;
  linesPerSec: number;
  cpuSeconds: number;
  cpuPerMillion: number;
  load: number;
}

async function runAgent(
  name: string,
  input: string,
  sink: Sink,
  feed: () => Promise<void>,
  ready: (stderr: () => string) => Promise<void>,
): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-syslog-bench-'));
  const config = join(dir, 'agent.yaml');
  await writeFile(
    config,
    [
      `gateway: { url: "${sink.url}", compression: zstd, concurrency: 2 }`,
      `state_dir: ${join(dir, 'state')}`,
      'batch: { max_events: 10000, max_bytes: 1MiB, max_wait: 200ms }',
      'metrics: { listen: "127.0.0.1:0" }',
      'enrich: { kubernetes: off }',
      'log: { level: info }',
      'inputs:',
      input,
      '',
    ].join('\n'),
  );
  sink.reset(count, []);
  const child: ChildProcess = spawn(process.execPath, [join(REPO, 'agent/main.ts'), '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await ready(() => stderr);
    const pid = child.pid as number;
    const cpuBefore = cpuSeconds(pid);
    const loadBefore = loadavg()[0];
    const started = performance.now();
    await feed();
    const deadline = Date.now() + 600_000;
    while (sink.counts().lines < count) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`${name}: ${sink.counts().lines} of ${count} lines; agent stderr:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(pid) - cpuBefore;
    return {
      name,
      seconds,
      linesPerSec: count / seconds,
      cpuSeconds: cpu,
      cpuPerMillion: (cpu / count) * 1e6,
      load: (loadBefore + loadavg()[0]) / 2,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

/** Waits for a line of the agent's log containing `text`. */
async function logged(stderr: () => string, text: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!stderr().includes(text)) {
    if (Date.now() > deadline) throw new Error(`agent did not log "${text}":\n${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Writes every message to one TCP connection, octet-counted, honouring the socket's backpressure. */
function sendTcp(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', reject);
    let i = 0;
    const pump = (): void => {
      while (i < count) {
        let chunk = '';
        for (let k = 0; k < 200 && i < count; k++, i++) {
          const m = message(i);
          chunk += `${Buffer.byteLength(m)} ${m}`;
        }
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.end(() => resolve());
    };
    socket.once('connect', pump);
  });
}

const sink = await startSink();
const dir = await mkdtemp(join(tmpdir(), 'sluice-syslog-bench-data-'));
try {
  const file = join(dir, 'syslog.log');
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(message(i));
  await writeFile(file, `${lines.join('\n')}\n`);
  const results: Result[] = [];
  for (let round = 0; round < 2; round++) {
    const port = await freePort();
    results.push(
      await runAgent(
        'syslog input, TCP octet-counted',
        `  - { type: syslog, service: syslog, listen: "127.0.0.1:${port}", protocols: [tcp] }`,
        sink,
        () => sendTcp(port),
        (stderr) => logged(stderr, 'receiving syslog'),
      ),
    );
    // The reference: the same messages from a file, parsed the same way (format: syslog). The file is
    // moved in once the agent is up, so neither run counts the agent's start.
    const inbox = join(dir, `in-${round}`);
    await mkdir(inbox);
    results.push(
      await runAgent(
        'file input, same messages (reference)',
        `  - { type: file, paths: ["${inbox}/*.log"], service: syslog, format: syslog, start_at: beginning }`,
        sink,
        async () => {
          await copyFile(file, join(inbox, 'tmp'));
          await rename(join(inbox, 'tmp'), join(inbox, 'syslog.log'));
        },
        (stderr) => logged(stderr, 'agent started'),
      ),
    );
  }
  console.log(`${count} RFC 5424 messages (~${Math.round(lines[1].length)} bytes), masking on, zstd`);
  console.log('| input | lines/s | CPU-s per 1M lines | load |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${Math.round(r.linesPerSec).toLocaleString('en')} | ${r.cpuPerMillion.toFixed(1)} | ${r.load.toFixed(1)} |`,
    );
  }
  const syslog = results.filter((r) => r.name.startsWith('syslog'));
  const file_ = results.filter((r) => r.name.startsWith('file'));
  const ratio =
    syslog.reduce((s, r) => s + r.cpuPerMillion, 0) / file_.reduce((s, r) => s + r.cpuPerMillion, 0);
  console.log(`CPU per line, syslog input / file input: ${ratio.toFixed(2)}`);
} finally {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
}
