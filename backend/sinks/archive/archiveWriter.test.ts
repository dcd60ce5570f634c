import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../core/event/types.ts';
import { createArchive } from './archive.ts';
import { type ArchiveWriterOptions, createArchiveWriter, type OffsetEvent } from './archiveWriter.ts';
import { MAX_RANGES_PER_FILE } from './layout.ts';
import { H12, HOUR, testEvent } from './testing/events.ts';
import { memoryObjectStore } from './testing/memoryObjectStore.ts';

const MIN = 60_000;

function setup(options: ArchiveWriterOptions = {}) {
  const store = memoryObjectStore();
  const archive = createArchive(store);
  const writer = createArchiveWriter(archive, { graceMs: 5 * MIN, ...options });
  const keys = () => [...store.objects.keys()].sort();
  return { store, archive, writer, keys };
}

/** Records at consecutive offsets from `first`. */
function at(first: number, events: LogEvent[]): OffsetEvent[] {
  return events.map((event, i) => ({ offset: BigInt(first + i), event }));
}

const key = (tenant: string, hour: string, name: string) =>
  `tenant=${tenant}/date=2026-11-23/hour=${hour}/${name}.parquet`;

describe('archive writer', () => {
  it('keeps one buffer per tenant and hour across partitions, and writes nothing before a trigger', async () => {
    const { writer, keys } = setup();
    await writer.append(
      0,
      at(0, [testEvent(H12), testEvent(H12 + 1, { tenant: 'globex' }), testEvent(H12 + HOUR)]),
    );
    await writer.append(1, at(0, [testEvent(H12 + 2)]));
    assert.deepEqual(keys(), []);
    assert.deepEqual(writer.stats().buffers, 3);
    assert.equal(writer.committableOffset(0), undefined, 'offset 0 is not archived yet');
    assert.equal(writer.nextOffset(0), 0n);
    assert.equal(writer.nextOffset(7), undefined, 'a partition never seen');
  });

  it('writes a buffer at max rows, named by its offset range, and commits up to it', async () => {
    const { writer, keys } = setup({ maxRows: 3 });
    const written = await writer.append(
      0,
      at(
        10,
        Array.from({ length: 7 }, (_, i) => testEvent(H12 + i)),
      ),
    );
    assert.deepEqual(
      written.map((f) => f.key),
      [key('acme', '12', 'p0-10-12'), key('acme', '12', 'p0-13-15')],
    );
    assert.equal(writer.committableOffset(0), 15n);
    await writer.flushAll();
    assert.deepEqual(keys(), [
      key('acme', '12', 'p0-10-12'),
      key('acme', '12', 'p0-13-15'),
      key('acme', '12', 'p0-16-16'),
    ]);
    assert.equal(writer.committableOffset(0), 16n);
  });

  it('writes a buffer at max bytes', async () => {
    const { writer } = setup({ maxBytes: 5_000 });
    const written = await writer.append(
      0,
      at(0, [
        testEvent(H12, { message: 'x'.repeat(3_000) }),
        testEvent(H12 + 1, { message: 'y'.repeat(3_000) }),
      ]),
    );
    assert.deepEqual(
      written.map((f) => f.key),
      [key('acme', '12', 'p0-0-1')],
    );
  });

  it("closes an hour once the partition's event time passes its end plus the grace period", async () => {
    const { writer } = setup({ graceMs: MIN });
    await writer.append(0, at(0, [testEvent(H12 + 10 * MIN), testEvent(H12 + 20 * MIN)]));
    assert.deepEqual(await writer.append(0, at(2, [testEvent(H12 + HOUR + 30_000)])), []);
    const closed = await writer.append(0, at(3, [testEvent(H12 + HOUR + 61_000)]));
    assert.deepEqual(
      closed.map((f) => f.key),
      [key('acme', '12', 'p0-0-1')],
    );
    assert.equal(writer.committableOffset(0), 1n, 'the 13:00 buffer from offset 2 is still open');
  });

  it('closes hours by processing time on flushDue, for partitions that went quiet', async () => {
    const { writer } = setup();
    await writer.append(0, at(0, [testEvent(H12 + 1), testEvent(H12 + HOUR + 1)]));
    assert.deepEqual(await writer.flushDue(H12 + HOUR + 4 * MIN), []);
    assert.deepEqual(
      (await writer.flushDue(H12 + HOUR + 5 * MIN)).map((f) => f.key),
      [key('acme', '12', 'p0-0-0')],
    );
    assert.equal(writer.stats().buffers, 1);
  });

  it('commits only up to the first offset still buffered in the partition, whatever the tenant', async () => {
    const { writer } = setup({ maxRows: 2 });
    await writer.append(
      0,
      at(0, [
        testEvent(H12),
        testEvent(H12 + 1, { tenant: 'globex' }),
        testEvent(H12 + 2),
        testEvent(H12 + 3),
      ]),
    );
    // acme 0,2 went to a file at max rows; globex 1 and acme 3 are still buffered.
    assert.equal(writer.committableOffset(0), 0n);
    await writer.append(
      1,
      at(50, [testEvent(H12, { tenant: 'initech' }), testEvent(H12 + 1, { tenant: 'initech' })]),
    );
    assert.equal(writer.committableOffset(1), 51n, 'partitions are independent');
    assert.equal(writer.nextOffset(0), 1n, 'a restart resumes at globex offset 1');
    await writer.flushAll(0);
    assert.equal(writer.committableOffset(0), 3n);
  });

  it('bounds memory across buffers by writing the largest when the total is over', async () => {
    const { writer } = setup({ maxBufferedBytes: 10_000 });
    const written = await writer.append(
      0,
      at(0, [
        testEvent(H12, { tenant: 'small' }),
        testEvent(H12, { tenant: 'large', message: 'x'.repeat(6_000) }),
        testEvent(H12, { tenant: 'medium', message: 'y'.repeat(4_000) }),
      ]),
    );
    assert.deepEqual(
      written.map((f) => f.tenant),
      ['large'],
    );
    assert.ok(writer.stats().bytes <= 10_000);
  });

  it('skips offsets it has seen already (a batch delivered again)', async () => {
    const { writer, archive } = setup();
    const batch = at(0, [testEvent(H12), testEvent(H12 + 1)]);
    await writer.append(0, batch);
    await writer.append(0, [...batch, ...at(2, [testEvent(H12 + 2)])]);
    const [file] = await writer.flushAll();
    assert.equal((await archive.read(file)).length, 3);
  });

  it('after a crash, a replay from the committed offset archives every event exactly once, however it cuts files', async () => {
    const store = memoryObjectStore();
    const archive = createArchive(store);
    // acme is busy, globex rare: acme's files run ahead of the committed offset, held back by globex.
    const events = Array.from({ length: 40 }, (_, i) =>
      testEvent(H12 + i * MIN, { tenant: i % 16 === 3 ? 'globex' : 'acme' }),
    );
    const first = createArchiveWriter(archive, { maxRows: 4 });
    await first.append(0, at(0, events.slice(0, 30)));
    const committed = first.committableOffset(0) ?? -1n;
    assert.equal(committed, 2n, 'globex at offset 3 holds the commit back');
    assert.ok(store.objects.size > 0, 'while acme files run ahead of it');
    // Crash: the first writer's buffers are lost. The replay cuts at other sizes.
    const second = createArchiveWriter(archive, { maxRows: 7 });
    await second.append(0, at(Number(committed) + 1, events.slice(Number(committed) + 1)));
    await second.flushAll();
    const files = await archive.list({ from: H12, to: H12 + HOUR });
    const read = (await Promise.all(files.map((f) => archive.read(f)))).flat();
    assert.deepEqual(read.map((e) => e.id).sort(), events.map((e) => e.id).sort());
  });

  it('names files by the processor’s source position and archives a processor replay once, in this run and after a restart', async () => {
    const { store, archive, writer, keys } = setup({ maxRows: 50 });
    const events = Array.from({ length: 100 }, (_, i) => testEvent(H12 + i));
    const fromRaw = (busFirst: number, rawFirst: number, list: LogEvent[]): OffsetEvent[] =>
      list.map((event, i) => ({
        offset: BigInt(busFirst + i),
        event,
        source: { partition: 3, offset: BigInt(rawFirst + i) },
      }));
    // logs.enriched partition 1: raw 0–59, then the processor replays raw 20–59 (new bus offsets), then 60–99.
    await writer.append(1, fromRaw(0, 0, events.slice(0, 60)));
    await writer.append(1, fromRaw(60, 20, events.slice(20, 60)));
    await writer.append(1, fromRaw(100, 60, events.slice(60, 80)));
    assert.equal(writer.nextOffset(1), 50n, 'the commit waits for the first bus offset still buffered');
    await writer.flushAll();
    assert.deepEqual(keys(), [key('acme', '12', 'p1-r3-0-49'), key('acme', '12', 'p1-r3-50-79')]);
    // A restarted archiver with nothing in memory meets another replay of raw 30–99, under new offsets.
    const restarted = createArchiveWriter(archive, { graceMs: 5 * MIN, maxRows: 50 });
    await restarted.append(1, fromRaw(120, 30, events.slice(30, 100)));
    await restarted.flushAll();
    assert.equal(keys().at(-1), key('acme', '12', 'p1-r3-80-99'));
    const rows = [];
    for (const k of keys())
      rows.push(
        ...(await archive.read({
          key: k,
          tenant: 'acme',
          hour: H12,
          bytes: store.objects.get(k)?.byteLength ?? 0,
        })),
      );
    assert.deepEqual(rows.map((e) => e.id).sort(), events.map((e) => e.id).sort(), 'each event exactly once');
  });

  it('still skips archived rows after the hour was forgotten and a file of it written meanwhile', async () => {
    const { archive, writer, keys } = setup({ maxRows: 10 });
    const events = Array.from({ length: 30 }, (_, i) => testEvent(H12 + i));
    const fromRaw = (busFirst: number, rawFirst: number, list: LogEvent[]): OffsetEvent[] =>
      list.map((event, i) => ({
        offset: BigInt(busFirst + i),
        event,
        source: { partition: 0, offset: BigInt(rawFirst + i) },
      }));
    await writer.append(0, fromRaw(0, 0, events.slice(0, 25))); // files for raw 0–9 and 10–19; 20–24 buffered
    await writer.flushDue(H12 + 10 * HOUR); // forgets the hour, and writes the buffer of raw 20–24
    assert.equal(keys().length, 3);
    // The partition is handed back (a rebalance) and replayed from raw 5, which cuts files elsewhere:
    // every row is already archived.
    await writer.release(0);
    await writer.append(0, fromRaw(5, 5, events.slice(5, 25)));
    await writer.flushAll();
    assert.equal(keys().length, 3, 'no file added');
    const again = createArchiveWriter(archive, { graceMs: 5 * MIN });
    assert.deepEqual(await again.append(0, fromRaw(100, 0, events)), []);
    assert.equal((await again.flushAll()).length, 1, 'only raw 25–29 is new');
  });

  it('keeps a buffer whose write failed, and the commit offset with it, until a retry succeeds', async () => {
    const { writer, store, keys } = setup({ maxRows: 2 });
    store.failPuts = true;
    await assert.rejects(
      writer.append(0, at(0, [testEvent(H12), testEvent(H12 + 1), testEvent(H12 + 2)])),
      /unavailable/,
    );
    assert.equal(writer.committableOffset(0), undefined);
    store.failPuts = false;
    await writer.append(0, at(0, [testEvent(H12), testEvent(H12 + 1), testEvent(H12 + 2)]));
    await writer.flushAll();
    assert.deepEqual(keys(), [key('acme', '12', 'p0-0-2')]);
    assert.equal(writer.committableOffset(0), 2n);
  });

  it('hands events it cannot archive to onInvalid and goes on; without onInvalid, append throws', async () => {
    const rejected: bigint[] = [];
    const { writer } = setup({ onInvalid: (record) => rejected.push(record.offset) });
    await writer.append(
      0,
      at(0, [
        testEvent(H12),
        testEvent(H12, { ts: 'not a time' }),
        testEvent(H12, { service: 7 as unknown as string }),
      ]),
    );
    assert.deepEqual(rejected, [1n, 2n]);
    assert.equal(writer.stats().rows, 1);
    await writer.append(0, at(3, [testEvent(H12, { ts: 'not a time' })]));
    await writer.flushAll();
    assert.equal(writer.committableOffset(0), 3n, 'rejected events count as handled');
    const strict = setup().writer;
    await assert.rejects(strict.append(0, at(0, [testEvent(H12, { ts: 'not a time' })])), {
      code: 'archive_rows_invalid',
    });
  });

  it("writes one file per tenant-hour from all its partitions, named by each partition's range", async () => {
    const { writer, archive, keys } = setup();
    const fromRaw = (partition: number, first: number, list: LogEvent[]): OffsetEvent[] =>
      list.map((event, i) => ({
        offset: BigInt(first + i),
        event,
        source: { partition, offset: BigInt(100 + first + i) },
      }));
    await writer.append(2, fromRaw(2, 0, [testEvent(H12 + 3), testEvent(H12 + 4)]));
    await writer.append(0, fromRaw(0, 5, [testEvent(H12 + 1), testEvent(H12 + 2, { tenant: 'globex' })]));
    assert.equal(writer.stats().buffers, 2);
    await writer.flushAll();
    assert.deepEqual(keys(), [
      key('acme', '12', 'p0-r0-105-105_p2-r2-100-101'),
      key('globex', '12', 'p0-r0-106-106'),
    ]);
    const [acme] = await archive.list({ from: H12, to: H12 + HOUR }, { tenant: 'acme' });
    assert.deepEqual(
      (await archive.read(acme)).map((e) => e.ts),
      [H12 + 1, H12 + 3, H12 + 4].map((ms) => new Date(ms).toISOString()),
      'rows of all partitions, in time order',
    );
  });

  it('opens another file for a tenant-hour once a file names as many ranges as a name can hold', async () => {
    const { writer, keys } = setup();
    for (let p = 0; p <= MAX_RANGES_PER_FILE; p++) await writer.append(p, at(0, [testEvent(H12 + p)]));
    assert.equal(writer.stats().buffers, 2);
    await writer.flushAll();
    assert.equal(keys().length, 2);
    assert.ok(keys().some((k) => k.endsWith(`/p${MAX_RANGES_PER_FILE}-0-0.parquet`)));
  });

  it('splits a buffer into several files when one name cannot hold all its ranges', async () => {
    const { writer, archive, keys } = setup();
    const far = 2n ** 62n;
    for (let p = 0; p < MAX_RANGES_PER_FILE; p++)
      await writer.append(p, [{ offset: far + BigInt(p), event: testEvent(H12 + p) }]);
    assert.equal(writer.stats().buffers, 1);
    const written = await writer.flushAll();
    assert.ok(written.length > 1);
    assert.ok(keys().every((k) => k.split('/').at(-1)!.length <= 255));
    const rows = (await Promise.all(written.map((f) => archive.read(f)))).flat();
    assert.equal(rows.length, MAX_RANGES_PER_FILE);
  });

  it('a revoked partition leaves a shared buffer; the others stay and commit where they were', async () => {
    const { writer, keys } = setup();
    await writer.append(0, at(0, [testEvent(H12), testEvent(H12 + 1)]));
    await writer.append(1, at(7, [testEvent(H12 + 2)]));
    await writer.release(0);
    assert.deepEqual(writer.stats().buffers, 1);
    assert.equal(writer.stats().rows, 1);
    assert.equal(writer.nextOffset(1), 7n);
    await writer.flushAll();
    assert.deepEqual(keys(), [key('acme', '12', 'p1-7-7')]);
    assert.equal(writer.nextOffset(1), 8n);
  });

  it('after a crash, a replay of several partitions into shared files archives every event once', async () => {
    const store = memoryObjectStore();
    const archive = createArchive(store);
    const events = Array.from({ length: 60 }, (_, i) =>
      testEvent(H12 + i * MIN, { tenant: i % 7 === 3 ? 'globex' : 'acme' }),
    );
    const byPartition = [0, 1, 2].map((p) => events.filter((_, i) => i % 3 === p));
    const first = createArchiveWriter(archive, { maxRows: 5 });
    for (const p of [0, 1, 2]) await first.append(p, at(0, byPartition[p].slice(0, 15)));
    const committed = [0, 1, 2].map((p) => first.nextOffset(p) ?? 0n);
    // Crash: buffers lost. The replay starts at each partition's committed offset and cuts files elsewhere.
    const second = createArchiveWriter(archive, { maxRows: 8 });
    for (const p of [2, 0, 1])
      await second.append(p, at(Number(committed[p]), byPartition[p].slice(Number(committed[p]))));
    await second.flushAll();
    const files = await archive.list({ from: H12, to: H12 + 2 * HOUR });
    assert.ok(
      files.some((f) => f.key.includes('_')),
      'some files mix partitions',
    );
    const read = (await Promise.all(files.map((f) => archive.read(f)))).flat();
    assert.deepEqual(read.map((e) => e.id).sort(), events.map((e) => e.id).sort());
  });

  describe('two archivers and a partition moving between them (a rebalance)', () => {
    const rowsOf = async (archive: ReturnType<typeof createArchive>) => {
      const files = await archive.list({ from: H12, to: H12 + HOUR });
      return (await Promise.all(files.map((f) => archive.read(f)))).flat().map((e) => e.id);
    };
    const fromRaw = (busFirst: number, rawFirst: number, list: LogEvent[]): OffsetEvent[] =>
      list.map((event, i) => ({
        offset: BigInt(busFirst + i),
        event,
        source: { partition: 0, offset: BigInt(rawFirst + i) },
      }));

    it('leaves out of a file the rows another archiver wrote since they were buffered', async () => {
      const { archive, writer: previous } = setup();
      const events = Array.from({ length: 30 }, (_, i) => testEvent(H12 + i));
      // The previous owner still holds raw 0–19 when the partition moves; the new owner replays 10–29
      // from the commit and writes first, then the previous owner flushes late (a zombie write).
      await previous.append(0, fromRaw(0, 0, events.slice(0, 20)));
      const next = createArchiveWriter(archive, { graceMs: 5 * MIN });
      await next.append(0, fromRaw(10, 10, events.slice(10, 30)));
      await next.flushAll();
      const late = await previous.flushAll();
      assert.equal(late.length, 1);
      assert.equal((await archive.read(late[0])).length, 10, 'only raw 0–9 was still missing');
      const ids = await rowsOf(archive);
      assert.deepEqual(ids.sort(), events.map((e) => e.id).sort(), 'each event exactly once');
      // Everything already written: no file at all.
      const third = createArchiveWriter(archive, { graceMs: 5 * MIN });
      await third.append(0, fromRaw(0, 0, events));
      await previous.append(0, fromRaw(20, 20, events.slice(20, 30)));
      assert.deepEqual(await previous.flushAll(), []);
      assert.equal((await rowsOf(archive)).length, 30);
    });

    it('lists the hours again when a partition is handed back, so rows its other owner wrote are not buffered', async () => {
      const { archive, writer: first } = setup();
      const events = Array.from({ length: 20 }, (_, i) => testEvent(H12 + i));
      const onOne = (busFirst: number, list: LogEvent[]): OffsetEvent[] =>
        list.map((event, i) => ({
          offset: BigInt(busFirst + i),
          event,
          source: { partition: 1, offset: BigInt(busFirst + i) },
        }));
      await first.append(0, fromRaw(0, 0, events.slice(0, 5))); // lists hour 12 (empty) for partition 0
      // Partition 1 is another archiver's, which writes raw 0–9 of it; then it comes to this one, replayed from 0.
      const other = createArchiveWriter(archive, { graceMs: 5 * MIN });
      await other.append(1, onOne(0, events.slice(5, 15)));
      await other.flushAll();
      await first.append(1, onOne(0, events.slice(5, 20)));
      assert.equal(first.stats().rows, 5 + 5, 'partition 0 rows and raw 10–14 of partition 1');
      assert.equal(first.nextOffset(1), 10n, 'the commit may pass what the other archiver wrote');
      await first.flushAll();
      assert.deepEqual((await rowsOf(archive)).sort(), events.map((e) => e.id).sort());
    });

    it('retain() drops the buffers of every partition a rebalance took', async () => {
      const { writer, keys } = setup();
      for (const p of [0, 1, 2]) await writer.append(p, at(0, [testEvent(H12 + p)]));
      await writer.retain([1]);
      assert.equal(writer.stats().rows, 1);
      assert.equal(writer.nextOffset(0), undefined);
      assert.equal(writer.nextOffset(2), undefined);
      await writer.flushAll();
      assert.deepEqual(keys(), [key('acme', '12', 'p1-0-0')]);
    });
  });

  it('drops a revoked partition unwritten, for its new owner to replay', async () => {
    const { writer, keys } = setup();
    await writer.append(0, at(0, [testEvent(H12)]));
    await writer.release(0);
    assert.deepEqual(await writer.flushAll(), []);
    assert.deepEqual(keys(), []);
    assert.equal(writer.committableOffset(0), undefined);
    assert.deepEqual(writer.stats(), { buffers: 0, rows: 0, bytes: 0 });
  });
});
