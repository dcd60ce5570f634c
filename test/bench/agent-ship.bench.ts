/**
 * Shipper throughput: 1,000,000 pre-made ~210-byte events through batching, compression and HTTP to a
 * local counting server (a child process that decompresses and counts lines, so its CPU is not ours).
 * Not a test; run with `node test/bench/agent-ship.bench.ts [events]`.
 * CPU is this process's user+system time, the compression threads included: on a machine shared with
 * other work it says more about the code than wall time does.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { GatewayClient } from '../../agent/ship/gatewayClient.ts';
import { createShipper, type ShipperConfig } from '../../agent/ship/shipper.ts';
import type { ShipRecord } from '../../agent/ship/shipRecord.ts';

/** The counting server: decompresses on the thread pool, counts newlines, answers like the gateway. */
function serve(): void {
  const decoders: Record<string, (b: Buffer) => Promise<Buffer>> = {
    gzip: promisify(zlib.gunzip),
    zstd: promisify(zlib.zstdDecompress),
    identity: async (b) => b,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = await decoders[String(req.headers['content-encoding'] ?? 'identity')](
        Buffer.concat(chunks),
      );
      let lines = 0;
      for (let at = raw.indexOf(10); at !== -1; at = raw.indexOf(10, at + 1)) lines++;
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: lines, rejected: 0, errors: [] }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address !== null ? address.port : 0}\n`);
  });
}

/** Distinct serialized events, reused cyclically so the heap stays small as in a real agent. */
function makeEvents(count: number): string[] {
  const levels = ['info', 'info', 'info', 'warn', 'error', 'debug'];
  const events: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const event = {
      id: `0193f2c4-7b1e-7cc2-${String(i % 10_000).padStart(4, '0')}-${String(i).padStart(12, '0')}`,
      ts: new Date(1_790_000_000_000 + i * 3).toISOString(),
      level: levels[i % levels.length],
      service: 'checkout',
      message: `request handled path=/api/v1/orders/A-${i % 9973} status=${i % 50 === 0 ? 500 : 200}`,
      attrs: { duration_ms: i % 997 },
    };
    // Through a Buffer, as serialized events from the pipeline would be: flat strings.
    events[i] = Buffer.from(JSON.stringify(event)).toString();
  }
  return events;
}

/** The next `size` records of a stream over `files` files, as an input would hand them over. */
function chunk(events: string[], from: number, size: number, files: number): ShipRecord[] {
  const records: ShipRecord[] = new Array(size);
  for (let k = 0; k < size; k++) {
    const i = from + k;
    const offset = Math.floor(i / files) * 220;
    records[k] = {
      json: events[i % events.length],
      fileId: `dev1:ino${i % files}`,
      offset,
      next: offset + 220,
    };
  }
  return records;
}

/** Answers every batch at once: measures batching (and compression) without HTTP. */
const nullClient: GatewayClient = {
  send: async () => ({ kind: 'acked', accepted: 0, rejected: 0, errors: [] }),
  probe: async () => true,
  close: async () => undefined,
};

async function run(
  url: string,
  events: string[],
  count: number,
  files: number,
  compression: 'zstd' | 'gzip' | 'none',
  client?: GatewayClient,
) {
  const stateDir = await mkdtemp(join(tmpdir(), 'sluice-ship-bench-'));
  const config: ShipperConfig = {
    gateway: {
      url,
      compression,
      tls: { insecure_skip_verify: false },
      timeout: 30_000,
      probe_interval: 0,
      concurrency: 4,
    },
    state_dir: stateDir,
    batch: { max_events: 10_000, max_bytes: 1024 * 1024, max_wait: 1000 },
    spool: { max_bytes: 1024 * 1024 * 1024 },
  };
  let acked = 0;
  const shipper = await createShipper(config, {
    onAcked: (ranges) => {
      acked += ranges.length;
    },
    client,
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  // Chunks of 1000, as an input hands over lines; making the records is part of the measured cost.
  for (let i = 0; i < count; i += 1000) await shipper.add(chunk(events, i, Math.min(1000, count - i), files));
  await shipper.flush();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  await shipper.close(1000);
  await rm(stateDir, { recursive: true, force: true });
  return { seconds, cpuSeconds, acked };
}

async function main(count: number): Promise<void> {
  const server = spawn(process.execPath, [import.meta.filename, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve) =>
    server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  const url = `http://127.0.0.1:${port}`;
  process.once('exit', () => server.kill());
  const events = makeEvents(100_000);
  console.log(
    `${count} events, ~${Math.round(events.reduce((n, e) => n + e.length + 1, 0) / events.length)} bytes each`,
  );
  for (const files of [16, 1]) {
    for (const compression of ['zstd', 'gzip'] as const) {
      await run(url, events, 100_000, files, compression); // warm-up
      const { seconds, cpuSeconds, acked } = await run(url, events, count, files, compression);
      if (acked === 0) throw new Error('nothing was acknowledged');
      console.log(
        `${compression.padEnd(4)} concurrency 4, ${String(files).padStart(2)} file(s): ` +
          `${Math.round(count / seconds).toLocaleString('en')} events/s wall, ` +
          `${cpuSeconds.toFixed(2)} CPU s (${Math.round(count / cpuSeconds).toLocaleString('en')} events per CPU second)`,
      );
    }
  }
  for (const compression of ['none', 'zstd'] as const) {
    await run(url, events, 100_000, 16, compression, nullClient);
    const { cpuSeconds } = await run(url, events, count, 16, compression, nullClient);
    console.log(
      `${compression.padEnd(4)} without HTTP (batching${compression === 'none' ? ' only' : ' + compression'}): ${cpuSeconds.toFixed(2)} CPU s`,
    );
  }
  server.kill();
}

if (process.argv[2] === 'serve') serve();
else await main(Number(process.argv[2] ?? 1_000_000));
