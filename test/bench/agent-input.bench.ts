import { Buffer } from 'node:buffer';
/**
 * Read throughput of the file input alone: a 200 MB file of ~210-byte lines, read from the beginning
 * into a consumer that only counts (and acknowledges, as the shipper would). Run:
 *   node test/bench/agent-input.bench.ts [megabytes] [ascii|mixed]
 * `mixed` puts a non-ASCII character in every 10th line (the slower, per-line decoding path).
 */
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '../../agent/checkpoint/checkpointStore.ts';
import { createFileInput, type FileInput } from '../../agent/inputs/file/fileInput.ts';

const megabytes = Number(process.argv[2] ?? 200);
const mode = process.argv[3] ?? 'ascii';
const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-input-'));
try {
  const path = join(dir, 'app.log');
  const size = await writeLog(path, megabytes * 1024 * 1024, mode === 'mixed');
  await mkdir(join(dir, 'state'));
  const checkpoints = await CheckpointStore.open({ path: join(dir, 'state', 'checkpoints.json') });
  let lines = 0;
  let bytes = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  let input: FileInput | undefined;
  input = createFileInput({
    paths: [path],
    checkpoints,
    onLines: async (batch) => {
      lines += batch.length;
      bytes = batch[batch.length - 1].next;
      input?.ackLines(batch);
      if (bytes === size) done();
    },
  });
  const started = performance.now();
  await input.start();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await input.stop();
  await checkpoints.close();
  console.log(
    JSON.stringify({
      mode,
      megabytes: Math.round(size / 1e6),
      lines,
      seconds: Number(seconds.toFixed(3)),
      lines_per_second: Math.round(lines / seconds),
      mb_per_second: Number((size / 1e6 / seconds).toFixed(1)),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** Writes lines of ~210 bytes (varied, like real logs) until `target` bytes; returns the size. */
async function writeLog(path: string, target: number, mixed: boolean): Promise<number> {
  const handle = await open(path, 'w');
  let size = 0;
  let n = 0;
  const levels = ['INFO', 'WARN', 'DEBUG', 'ERROR'];
  while (size < target) {
    const parts: string[] = [];
    for (let i = 0; i < 20_000; i++, n++) {
      const ts = new Date(1767225600000 + n * 7).toISOString();
      const user = mixed && n % 10 === 0 ? 'zoë' : 'zoe';
      const line = `${ts} ${levels[n % 4]} [worker-${n % 16}] checkout.payment order=A-${n} user=${user} amount=${(n % 9973) / 100} latency_ms=${n % 997} pod=checkout-7d9f8b6c4-x2x9k msg="payment authorised by gateway after retry" trace=${(n * 2654435761).toString(16).padStart(16, '0')}`;
      parts.push(line);
    }
    const chunk = Buffer.from(`${parts.join('\n')}\n`);
    await handle.write(chunk);
    size += chunk.length;
  }
  await handle.close();
  return size;
}
