import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AsyncBuffer } from 'hyparquet';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { LogEvent } from '../../../core/event/types.ts';
import { compileToPredicate, parseQuery } from '../../../core/query/index.ts';
import { ArchiveFormatError } from './errors.ts';
import {
  bytesAsAsyncBuffer,
  decodeEvents,
  encodeEvents,
  readArchiveMetadata,
  rowRangesFor,
} from './eventParquet.ts';
import { byTime, H12, HOUR, hourOfEvents, testEvent } from './testing/events.ts';

const MIN = 60_000;

function columnType(bytes: Uint8Array, name: string) {
  return parquetMetadata(bytes.buffer as ArrayBuffer).schema.find((element) => element.name === name);
}

/** An AsyncBuffer that counts the bytes read through it after the first read (the footer). */
function counting(bytes: Uint8Array): AsyncBuffer & { read: number } {
  const inner = bytesAsAsyncBuffer(bytes);
  let footerRead = false;
  const counted = {
    byteLength: inner.byteLength,
    read: 0,
    slice(start: number, end?: number) {
      if (footerRead) counted.read += (end ?? inner.byteLength) - start;
      footerRead = true;
      return inner.slice(start, end);
    },
  };
  return counted;
}

describe('events as Parquet', () => {
  it('reads back every field exactly: ns times, unicode, empty attrs, absent optional fields, huge messages', async () => {
    const events: LogEvent[] = [
      testEvent(H12 + 1, {
        ts: '2026-11-23T12:00:00.001000001Z',
        observed_ts: '2026-11-23T12:00:00.002999999Z',
      }),
      testEvent(H12 + 2, {
        message: 'ünïcødé — 日本語 — 🚀 — \u0000 nul — "quotes" \\ back',
        attrs: { ключ: 'значение', emoji: '🚀' },
      }),
      testEvent(H12 + 3, { attrs: {}, host: undefined, env: undefined, correlation_id: undefined }),
      testEvent(H12 + 4, { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' }),
      testEvent(H12 + 5, { message: 'x'.repeat(2_000_000), level: 'fatal' }),
      testEvent(H12 + 6, {
        host: '',
        env: '',
        message: '',
        attrs: { n: -1.5e-7, big: 2 ** 53, t: true, f: false, z: null, s: '' },
      }),
      testEvent(H12 + 7, { ts: '2026-11-23T13:00:00.007+01:00', observed_ts: '2026-11-23T12:00:00.007123Z' }),
    ];
    const back = await decodeEvents(encodeEvents(events));
    assert.deepEqual(back, events);
    const contractOrder = [
      'id',
      'ts',
      'observed_ts',
      'level',
      'service',
      'host',
      'env',
      'tenant',
      'correlation_id',
      'trace_id',
      'span_id',
      'message',
      'attrs',
    ];
    assert.deepEqual(Object.keys(back[3]), contractOrder, 'fields come back in the order of contracts.md');
  });

  it('writes a file of one event whose optional fields are all absent and whose id is not a UUID', async () => {
    const bare: LogEvent = {
      id: 'line-42',
      ts: '2026-11-23T12:00:00Z',
      observed_ts: '2026-11-23T12:00:00.000Z',
      level: 'info',
      service: 'cron',
      tenant: 'acme',
      message: '',
      attrs: {},
    };
    assert.deepEqual(await decodeEvents(encodeEvents([bare])), [bare]);
  });

  it('sorts rows by event time; equal times keep their order', async () => {
    const a = testEvent(H12 + 5 * MIN);
    const b = testEvent(H12 + 1 * MIN);
    const c = testEvent(H12 + 5 * MIN);
    const d = testEvent(H12 + 1 * MIN, { ts: new Date(H12 + MIN).toISOString().replace('Z', '000001Z') });
    assert.deepEqual(await decodeEvents(encodeEvents([a, b, c, d])), [b, d, a, c]);
  });

  it('stores lower-case UUID ids as 16-byte UUIDs, and any other id as text', async () => {
    const uuids = encodeEvents([testEvent(H12)]);
    assert.deepEqual(columnType(uuids, 'id')?.logical_type, { type: 'UUID' });
    const mixed = [
      testEvent(H12),
      testEvent(H12 + 1, { id: 'A1B2-not-a-uuid' }),
      testEvent(H12 + 2, { id: '0193F2C4-7B1E-7CC2-9A43-5D2E8F1A6B90' }),
    ];
    const text = encodeEvents(mixed);
    assert.equal(columnType(text, 'id')?.type, 'BYTE_ARRAY');
    assert.deepEqual(await decodeEvents(text), mixed);
  });

  it('keeps ts as an INT64 microsecond timestamp with min/max statistics per row group', async () => {
    const bytes = encodeEvents(hourOfEvents(H12, 100), { rowGroupRows: 25 });
    assert.deepEqual(columnType(bytes, 'ts')?.logical_type, {
      type: 'TIMESTAMP',
      isAdjustedToUTC: true,
      unit: 'MICROS',
    });
    const metadata = await readArchiveMetadata(bytesAsAsyncBuffer(bytes));
    assert.equal(metadata.row_groups.length, 4);
    const stats = metadata.row_groups[1].columns[1].meta_data?.statistics;
    assert.equal(stats?.min_value, BigInt(H12 + 25 * 36_000) * 1000n);
    assert.equal(stats?.max_value, BigInt(H12 + 49 * 36_000) * 1000n);
  });

  it('decodes only the row groups a time range overlaps', async () => {
    const events = hourOfEvents(H12, 1000); // one every 3.6 s
    const bytes = encodeEvents(events, { rowGroupRows: 100 });
    const metadata = await readArchiveMetadata(bytesAsAsyncBuffer(bytes));
    const range = { from: H12 + 6 * MIN, to: H12 + 12 * MIN }; // rows 100–199: the second group
    assert.deepEqual(rowRangesFor(metadata, range), [[100, 200]]);
    assert.deepEqual(rowRangesFor(metadata, { from: H12 + 5 * MIN, to: H12 + 13 * MIN }), [[0, 300]]);
    assert.deepEqual(rowRangesFor(metadata, { from: H12 + HOUR, to: H12 + 2 * HOUR }), []);

    const whole = counting(bytes);
    await decodeEvents(whole);
    const pruned = counting(bytes);
    assert.deepEqual(await decodeEvents(pruned, { range }), events.slice(100, 200));
    assert.ok(pruned.read > 0 && pruned.read < whole.read / 3, `read ${pruned.read} of ${whole.read} bytes`);
  });

  it('keeps only the rows the predicate accepts', async () => {
    const events = hourOfEvents(H12, 30).map((e, i) =>
      i % 10 === 0 ? { ...e, service: 'payments', level: 'error' as const } : e,
    );
    const predicate = compileToPredicate(parseQuery('service:payments level>=error'));
    assert.deepEqual(
      await decodeEvents(encodeEvents(events), { predicate }),
      byTime(events).filter((_, i) => i % 10 === 0),
    );
  });

  it('refuses a Parquet file that is not an archive file', async () => {
    const foreign = parquetWriteBuffer({ columnData: [{ name: 'x', data: [1, 2], type: 'INT32' }] });
    await assert.rejects(decodeEvents(new Uint8Array(foreign)), ArchiveFormatError);
  });
});
