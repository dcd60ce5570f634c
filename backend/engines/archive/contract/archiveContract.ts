/**
 * The behaviour every archive store must have, as node:test suites: the engine registry's contract runs
 * (backend/engines/contracts.ts) hold the local directory and S3 (against S3Proxy) to it, and the memory
 * object store the archive tests use (backend/sinks/archive/testing/memoryObjectStore.test.ts).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parquetReadObjects } from 'hyparquet';
import type { ArchivePartition } from '../../../../core/ports/archive.ts';
import { compileToPredicate, parseQuery } from '../../../../core/query/index.ts';
import type { ArchiveOptions, ParquetArchive } from '../../../sinks/archive/archive.ts';
import { ArchiveFileMissingError, ArchiveRowsError } from '../../../sinks/archive/errors.ts';
import { bytesAsAsyncBuffer } from '../../../sinks/archive/eventParquet.ts';
import { byTime, H12, HOUR, hourOfEvents, testEvent } from '../../../sinks/archive/testing/events.ts';
import { ARCHIVE_DECOMPRESSORS } from '../../../sinks/archive/zstdCodec.ts';

export interface ArchiveUnderTest {
  archive: ParquetArchive;
  /** Keys of every object in the store, bypassing the archive. */
  rawKeys(): Promise<string[]>;
  /** An object's bytes, bypassing the archive. */
  rawGet(key: string): Promise<Uint8Array | undefined>;
  /** Leaves behind what a write of `key` interrupted half-way leaves (temporary file, unfinished upload). */
  leavePartialWrite(key: string, bytes: Uint8Array): Promise<void>;
  cleanup(): Promise<void>;
}

const DAY = 24 * HOUR;

function partition(
  hour: number,
  first: bigint,
  last: bigint,
  tenant = 'acme',
  busPartition = 0,
): ArchivePartition {
  return { tenant, hour, busPartition, firstOffset: first, lastOffset: last };
}

export function runArchiveContract(
  name: string,
  open: (options?: ArchiveOptions) => Promise<ArchiveUnderTest>,
): void {
  describe(`Archive contract: ${name}`, () => {
    let t: ArchiveUnderTest;
    let archive: ParquetArchive;

    beforeEach(async () => {
      t = await open();
      archive = t.archive;
    });
    afterEach(() => t.cleanup());

    it('writes one file under tenant=/date=/hour=/ named by partition and offsets, and reads back exactly what was written', async () => {
      const events = [
        testEvent(H12 + 5_000, { ts: '2026-11-23T12:00:05.123456789Z', message: 'ns précision ✓ 日本語 🚀' }),
        testEvent(H12 + 1_000, { attrs: {}, host: undefined, env: undefined, correlation_id: undefined }),
        testEvent(H12 + 3_000, {
          trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
          span_id: '00f067aa0ba902b7',
          level: 'error',
        }),
      ];
      const file = await archive.write(partition(H12, 100n, 102n, 'acme', 3), events);
      assert.equal(file.key, 'tenant=acme/date=2026-11-23/hour=12/p3-100-102.parquet');
      assert.equal(file.tenant, 'acme');
      assert.equal(file.hour, H12);
      assert.ok(file.bytes > 0);
      assert.deepEqual(await t.rawKeys(), [file.key]);
      assert.deepEqual(await archive.read(file), byTime(events));
    });

    it('lists the files whose hour overlaps the range, for one tenant or for all', async () => {
      await archive.write(partition(H12 - HOUR, 0n, 9n), hourOfEvents(H12 - HOUR, 10));
      await archive.write(partition(H12, 10n, 19n), hourOfEvents(H12, 10));
      await archive.write(partition(H12 + HOUR, 20n, 29n), hourOfEvents(H12 + HOUR, 10));
      await archive.write(partition(H12, 5n, 8n, 'globex'), hourOfEvents(H12, 4, { tenant: 'globex' }));
      const keysOf = async (from: number, to: number, tenant?: string) =>
        (await archive.list({ from, to }, tenant === undefined ? undefined : { tenant })).map((f) => f.key);

      assert.deepEqual(await keysOf(H12 + 10 * 60_000, H12 + 20 * 60_000, 'acme'), [
        'tenant=acme/date=2026-11-23/hour=12/p0-10-19.parquet',
      ]);
      // `to` is exclusive: a range ending exactly at 13:00 does not reach the 13:00 file.
      assert.equal((await keysOf(H12 - HOUR + 1, H12 + HOUR, 'acme')).length, 2);
      assert.deepEqual(await keysOf(H12, H12 + 1), [
        'tenant=acme/date=2026-11-23/hour=12/p0-10-19.parquet',
        'tenant=globex/date=2026-11-23/hour=12/p0-5-8.parquet',
      ]);
      assert.deepEqual(await keysOf(H12 + 2 * HOUR, H12 + 3 * HOUR), []);
      const [listed] = await archive.list({ from: H12, to: H12 + 1 }, { tenant: 'globex' });
      assert.deepEqual(
        { ...listed, bytes: 0 },
        {
          key: 'tenant=globex/date=2026-11-23/hour=12/p0-5-8.parquet',
          tenant: 'globex',
          hour: H12,
          bytes: 0,
          busPartition: 0,
          firstOffset: 5n,
          lastOffset: 8n,
          ranges: [{ busPartition: 0, firstOffset: 5n, lastOffset: 8n }],
        },
      );
    });

    it('lists ranges longer than two days through the day folders, still pruned to the range', async () => {
      const hours = [H12 - 10 * DAY, H12 - 3 * DAY, H12, H12 + 5 * DAY];
      for (const [i, hour] of hours.entries())
        await archive.write(partition(hour, BigInt(i), BigInt(i)), [testEvent(hour)]);
      const files = await archive.list({ from: H12 - 4 * DAY, to: H12 + HOUR }, { tenant: 'acme' });
      assert.deepEqual(
        files.map((f) => f.hour),
        [H12 - 3 * DAY, H12],
      );
    });

    it('writing the same name again replaces the file: a retried flush leaves no duplicate', async () => {
      const events = hourOfEvents(H12, 50);
      await archive.write(partition(H12, 0n, 49n), events);
      await archive.write(partition(H12, 0n, 49n), events);
      const files = await archive.list({ from: H12, to: H12 + HOUR });
      assert.equal(files.length, 1);
      assert.equal((await archive.read(files[0])).length, 50);
      const replacement = hourOfEvents(H12, 3);
      await archive.write(partition(H12, 0n, 49n), replacement);
      assert.deepEqual(await archive.read(files[0]), replacement);
    });

    it('dropBefore deletes files whose hour ended by the cut-off, per tenant if asked; dry-run only reports', async () => {
      const old = [H12 - 2 * DAY, H12 - HOUR, H12];
      for (const hour of old) await archive.write(partition(hour, 0n, 0n), [testEvent(hour)]);
      await archive.write(partition(H12 - HOUR, 0n, 0n, 'globex'), [
        testEvent(H12 - HOUR, { tenant: 'globex' }),
      ]);
      const expected = [
        'tenant=acme/date=2026-11-21/hour=12/p0-0-0.parquet',
        'tenant=acme/date=2026-11-23/hour=11/p0-0-0.parquet',
      ];
      // The 12:00 hour ends at 13:00, after the cut-off: it stays.
      assert.deepEqual(
        await archive.dropBefore(H12 + 30 * 60_000, { tenant: 'acme', dryRun: true }),
        expected,
      );
      assert.equal((await t.rawKeys()).length, 4);
      assert.deepEqual(await archive.dropBefore(H12 + 30 * 60_000, { tenant: 'acme' }), expected);
      assert.deepEqual((await t.rawKeys()).sort(), [
        'tenant=acme/date=2026-11-23/hour=12/p0-0-0.parquet',
        'tenant=globex/date=2026-11-23/hour=11/p0-0-0.parquet',
      ]);
      // A tenant with its own retention period is spared by the global step.
      assert.deepEqual(await archive.dropBefore(H12 + HOUR, { exceptTenants: ['globex'] }), [
        'tenant=acme/date=2026-11-23/hour=12/p0-0-0.parquet',
      ]);
      assert.deepEqual(await archive.dropBefore(H12 + HOUR), [
        'tenant=globex/date=2026-11-23/hour=11/p0-0-0.parquet',
      ]);
      assert.deepEqual(await t.rawKeys(), []);
    });

    it('never lists or reads a file whose write did not complete', async () => {
      const complete = await archive.write(partition(H12, 0n, 9n), hourOfEvents(H12, 10));
      const partialKey = 'tenant=acme/date=2026-11-23/hour=12/p0-10-19.parquet';
      const bytes = await t.rawGet(complete.key);
      await t.leavePartialWrite(partialKey, (bytes as Uint8Array).subarray(0, 100));
      assert.deepEqual(
        (await archive.list({ from: H12, to: H12 + HOUR })).map((f) => f.key),
        [complete.key],
      );
      await assert.rejects(
        archive.read({ key: partialKey, tenant: 'acme', hour: H12, bytes: 100 }),
        ArchiveFileMissingError,
      );
    });

    it('refuses rows of another tenant or outside the hour, and writes nothing', async () => {
      await assert.rejects(
        archive.write(partition(H12, 0n, 0n), [testEvent(H12, { tenant: 'globex' })]),
        ArchiveRowsError,
      );
      await assert.rejects(archive.write(partition(H12, 0n, 0n), [testEvent(H12 + HOUR)]), ArchiveRowsError);
      await assert.rejects(archive.write(partition(H12, 0n, 0n), []), ArchiveRowsError);
      assert.deepEqual(await t.rawKeys(), []);
    });

    it('scan keeps only events in the time range that the predicate accepts', async () => {
      const events = hourOfEvents(H12, 60).map((e, i) => ({
        ...e,
        level: i % 3 === 0 ? ('error' as const) : ('info' as const),
      }));
      const file = await archive.write(partition(H12, 0n, 59n), events);
      const predicate = compileToPredicate(parseQuery('level>=error'));
      const found = await archive.scan(file, {
        range: { from: H12 + 30 * 60_000, to: H12 + 40 * 60_000 },
        predicate,
      });
      const expected = events.filter((_, i) => i >= 30 && i < 40 && i % 3 === 0);
      assert.deepEqual(found, expected);
    });

    it('reading a file deleted since it was listed throws ArchiveFileMissingError', async () => {
      const file = await archive.write(partition(H12, 0n, 0n), [testEvent(H12)]);
      await archive.dropBefore(H12 + HOUR);
      await assert.rejects(archive.read(file), ArchiveFileMissingError);
    });

    it('keeps hostile tenant names inside their own folder, and lists them back by name', async () => {
      const hostile = ['../../etc', '.', 'a/b', 'Acme', '%2F', 'tenant=x/date=y', 'café'];
      for (const [i, tenant] of hostile.entries()) {
        await archive.write(partition(H12, BigInt(i), BigInt(i), tenant), [testEvent(H12, { tenant })]);
      }
      const keys = await t.rawKeys();
      assert.equal(keys.length, hostile.length);
      for (const key of keys)
        assert.match(key, /^tenant=[^/.][^/]*\/date=2026-11-23\/hour=12\/p0-\d-\d\.parquet$/);
      for (const tenant of hostile) {
        const files = await archive.list({ from: H12, to: H12 + HOUR }, { tenant });
        assert.equal(files.length, 1, tenant);
        assert.equal((await archive.read(files[0]))[0].tenant, tenant);
      }
      assert.deepEqual((await archive.list({ from: H12, to: H12 + HOUR }, { tenant: 'acme' })).length, 0);
    });

    it('writes plain Parquet that hyparquet reads on its own', async () => {
      const events = [
        testEvent(H12 + 1, { attrs: { 'http.status': 504, 'order.id': 'A-1001', ok: false, none: null } }),
        testEvent(H12 + 2, { host: undefined }),
      ];
      const file = await archive.write(partition(H12, 0n, 1n), events);
      const bytes = (await t.rawGet(file.key)) as Uint8Array;
      const rows = await parquetReadObjects({
        file: bytesAsAsyncBuffer(bytes),
        compressors: ARCHIVE_DECOMPRESSORS,
      });
      assert.equal(rows.length, 2);
      assert.equal(rows[0].id, events[0].id);
      assert.deepEqual(rows[0].ts, new Date(H12 + 1)); // a TIMESTAMP column: readers get a time, not a string
      assert.equal(rows[0].level, 'info');
      assert.deepEqual(rows[0].attrs, events[0].attrs); // a JSON column
      assert.equal(rows[1].host, null);
      assert.equal(rows[1].message, events[1].message);
      assert.equal(rows[0].ts_text, null);
    });
  });

  describe(`Archive contract: ${name}, files read by byte ranges`, () => {
    it('reads a file larger than rangedReadAbove by ranges, with the same events', async () => {
      const t = await open({ rangedReadAbove: 1, encode: { rowGroupRows: 100 } });
      try {
        const events = hourOfEvents(H12, 1000);
        const file = await t.archive.write(partition(H12, 0n, 999n), events);
        assert.deepEqual(await t.archive.read(file), events);
        const range = { from: H12 + 6 * 60_000, to: H12 + 12 * 60_000 };
        assert.deepEqual(await t.archive.scan(file, { range }), events.slice(100, 200));
      } finally {
        await t.cleanup();
      }
    });
  });
}
