/**
 * The embedded log's promise under real crashes: a process killed with SIGKILL at random moments, again
 * and again, loses nothing it acknowledged, duplicates nothing, keeps each key's order, and its log
 * reopens cleanly; and a segment whose tail was torn is cut back to its valid prefix on open.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import {
  type BusEvent,
  type EmbeddedBus,
  openEmbeddedBus,
} from '../../../backend/engines/bus/embedded/embeddedBus.ts';
import type { ConsumedRecord } from '../../../core/ports/bus.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { batchContents, CRASH_TOPIC, type CrashRecord, parseCrashRecord } from './crashWorkload.ts';

const CHILD = new URL('./producerChild.ts', import.meta.url).pathname;
const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-crash-'));
  dirs.push(dir);
  return dir;
}

/**
 * Runs the producer child until it has printed `killAfterAcks` acknowledgements (or finished), then
 * kills it with SIGKILL. Returns the acknowledged batches, read from complete lines only.
 */
async function runAndKill(
  dir: string,
  run: number,
  killAfterAcks: number,
): Promise<Array<[number, number, number]>> {
  const child: ChildProcess = spawn(process.execPath, [CHILD, dir, String(run)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const acks: Array<[number, number, number]> = [];
  const lines = createInterface({ input: child.stdout! });
  let ready = false;
  for await (const line of lines) {
    if (line === 'ready') ready = true;
    const m = /^ack (\d+) (\d+) (\d+)$/.exec(line);
    if (m !== null) acks.push([Number(m[1]), Number(m[2]), Number(m[3])]);
    if ((ready && acks.length >= killAfterAcks) || line === 'done') {
      child.kill('SIGKILL');
      break;
    }
  }
  // Lines already in the pipe when the kill landed were printed after their produce resolved: count them.
  for await (const line of lines) {
    const m = /^ack (\d+) (\d+) (\d+)$/.exec(line);
    if (m !== null) acks.push([Number(m[1]), Number(m[2]), Number(m[3])]);
  }
  const [code, signal] = await exited;
  assert.equal(signal, 'SIGKILL', `child exited on its own (code ${code}) instead of being killed`);
  return acks;
}

/** Every record of the topic, read through a fresh consumer group until lag is zero everywhere. */
async function readEverything(bus: EmbeddedBus, partitions: number): Promise<ConsumedRecord[]> {
  const seen: ConsumedRecord[] = [];
  const consumer = await bus.consume({
    group: `verify-${Date.now()}`,
    topics: [CRASH_TOPIC],
    fromBeginning: true,
    maxBatchRecords: 2000,
    handler: async (batch) => {
      seen.push(...batch.records);
    },
  });
  await waitFor('the verifier to catch up', async () => {
    const lag = await consumer.lag();
    return lag.length === partitions && lag.every((l) => l.lag === 0n);
  });
  await consumer.stop();
  return seen;
}

const id = (r: CrashRecord) => `${r.run}|${r.key}|${r.seq}`;

describe('embedded bus under kill -9', () => {
  it('loses no acknowledged record and duplicates none across repeated crashes', async () => {
    const dir = await tempDir();
    const acknowledged: CrashRecord[] = [];
    const runs = 6;
    for (let run = 0; run < runs; run++) {
      // Random moments: sometimes before the first ack, sometimes deep into a run.
      const killAfter = Math.random() < 0.2 ? 0 : 1 + Math.floor(Math.random() * 400);
      for (const [r, producer, batch] of await runAndKill(dir, run, killAfter)) {
        acknowledged.push(...batchContents(r, producer, batch));
      }
    }
    assert.ok(acknowledged.length > 0, 'the children acknowledged something');

    const events: BusEvent[] = [];
    const bus = await openEmbeddedBus({ dir, onEvent: (e) => events.push(e) });
    const records = await readEverything(bus, 4);

    const count = new Map<string, number>();
    for (const r of records) {
      const key = id(parseCrashRecord(r.value));
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    const missing = acknowledged.filter((r) => !count.has(id(r)));
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged records missing`);
    const duplicated = [...count].filter(([, n]) => n > 1);
    assert.deepEqual(duplicated.slice(0, 5), [], 'no record stored twice');

    // Per key, records appear in production order: by run, then by sequence number.
    const lastOfKey = new Map<string, CrashRecord>();
    for (const r of records) {
      const rec = parseCrashRecord(r.value);
      const prev = lastOfKey.get(rec.key);
      if (prev !== undefined) {
        assert.ok(
          rec.run > prev.run || (rec.run === prev.run && rec.seq > prev.seq),
          `order of ${rec.key}: ${id(prev)} then ${id(rec)}`,
        );
      }
      lastOfKey.set(rec.key, rec);
    }

    // Offsets of each partition are dense from 0: nothing lost in the middle, nothing doubled.
    const byPartition = new Map<number, bigint[]>();
    for (const r of records) {
      const list = byPartition.get(r.partition);
      if (list === undefined) byPartition.set(r.partition, [r.offset]);
      else list.push(r.offset);
    }
    for (const [p, offsets] of byPartition) {
      assert.ok(
        offsets.every((o, i) => o === BigInt(i)),
        `partition ${p} offsets are 0..${offsets.length - 1}`,
      );
    }

    // The reopened log takes new records at the next offsets.
    await bus.produce(CRASH_TOPIC, [{ key: 'after-crash', value: Buffer.from('9|after-crash|0|') }]);
    const after = await readEverything(bus, 4);
    assert.equal(after.length, records.length + 1);
    await bus.close();
  });
});

describe('embedded bus with a torn last segment', () => {
  async function logWith100Records() {
    const dir = await tempDir();
    const bus = await openEmbeddedBus({ dir, partitions: 1, onEvent: () => {} });
    for (let i = 0; i < 100; i += 10) {
      await bus.produce(
        CRASH_TOPIC,
        Array.from({ length: 10 }, (_, j) => ({ key: 'k', value: Buffer.from(`0|k|${i + j}|`) })),
      );
    }
    await bus.close();
    const partitionDir = join(dir, 'topics', CRASH_TOPIC, '0');
    const segment = join(
      partitionDir,
      (await readdir(partitionDir))
        .filter((n) => n.endsWith('.log'))
        .sort()
        .pop()!,
    );
    return { dir, segment };
  }

  async function reopen(dir: string) {
    const events: BusEvent[] = [];
    const bus = await openEmbeddedBus({ dir, partitions: 1, onEvent: (e) => events.push(e) });
    return { bus, events };
  }

  const seqs = (records: ConsumedRecord[]) => records.map((r) => parseCrashRecord(r.value).seq);
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('cuts a record torn in the middle, keeps the prefix, and appends at the next offset', async () => {
    const { dir, segment } = await logWith100Records();
    const { size } = await stat(segment);
    await truncate(segment, size - 9);
    const { bus, events } = await reopen(dir);
    assert.ok(events.some((e) => e.type === 'tail-truncated' && e.file === segment));
    assert.deepEqual(seqs(await readEverything(bus, 1)), upTo(99));
    await bus.produce(CRASH_TOPIC, [{ key: 'k', value: Buffer.from('0|k|99|') }]);
    const records = await readEverything(bus, 1);
    assert.deepEqual(seqs(records), upTo(100));
    assert.equal(records[99].offset, 99n);
    await bus.close();
  });

  it('drops garbage bytes after the last record and appends at the next offset', async () => {
    const { dir, segment } = await logWith100Records();
    await appendFile(segment, Buffer.from([0, 0, 0, 60, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3]));
    const { bus, events } = await reopen(dir);
    assert.ok(events.some((e) => e.type === 'tail-truncated' && e.truncatedBytes === 11));
    await bus.produce(CRASH_TOPIC, [{ key: 'k', value: Buffer.from('0|k|100|') }]);
    const records = await readEverything(bus, 1);
    assert.deepEqual(seqs(records), upTo(101));
    assert.equal(records[100].offset, 100n);
    await bus.close();
  });
});
