import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordTooLargeError } from './errors.ts';
import {
  CORRUPT,
  decodeRecord,
  encodeRecords,
  frameEnd,
  frameOffset,
  frameTimestamp,
  INCOMPLETE,
  MAX_FRAME_BYTES,
} from './recordFormat.ts';

const records = [
  {
    key: 'acme/checkout',
    value: Buffer.from('{"message":"hello"}'),
    headers: { 'content-type': 'json', ü: 'ß' },
  },
  { key: '', value: new Uint8Array(0) },
  {
    key: 'k',
    value: Buffer.from([0, 1, 2, 255]),
    headers: JSON.parse('{"__proto__":"stays a field"}') as Record<string, string>,
  },
];

describe('record frames', () => {
  it('round-trips key, value, headers, offset and timestamp', () => {
    const batch = encodeRecords(records, 41, 1_700_000_000_123);
    assert.equal(batch.count, 3);
    let pos = 0;
    for (let i = 0; i < 3; i++) {
      assert.equal(batch.frameStarts[i], pos);
      const end = frameEnd(batch.bytes, pos, batch.bytes.byteLength);
      assert.ok(end > pos);
      assert.equal(frameOffset(batch.bytes, pos), 41 + i);
      assert.equal(frameTimestamp(batch.bytes, pos), 1_700_000_000_123);
      const r = decodeRecord(batch.bytes, pos, 'logs.raw', 2);
      assert.equal(r.topic, 'logs.raw');
      assert.equal(r.partition, 2);
      assert.equal(r.offset, BigInt(41 + i));
      assert.equal(r.key, records[i].key);
      assert.deepEqual(Buffer.from(r.value), Buffer.from(records[i].value));
      assert.deepEqual(r.headers, records[i].headers);
      pos = end;
    }
    assert.equal(pos, batch.bytes.byteLength);
  });

  it('keeps a header named __proto__ as a plain field', () => {
    const batch = encodeRecords([records[2]], 0, 0);
    const r = decodeRecord(batch.bytes, 0, 't', 0);
    assert.equal(Object.getPrototypeOf(r.headers), Object.prototype);
    assert.deepEqual(Object.entries(r.headers ?? {}), [['__proto__', 'stays a field']]);
  });

  it('encodes offsets beyond 2^32 exactly', () => {
    const batch = encodeRecords([records[0]], 2 ** 40 + 7, 0);
    assert.equal(frameOffset(batch.bytes, 0), 2 ** 40 + 7);
    assert.equal(decodeRecord(batch.bytes, 0, 't', 0).offset, BigInt(2 ** 40 + 7));
  });

  it('reports a frame cut short as incomplete', () => {
    const { bytes } = encodeRecords([records[0]], 0, 0);
    for (const cut of [0, 3, 8, bytes.byteLength - 1]) {
      assert.equal(frameEnd(bytes.subarray(0, cut), 0, cut), INCOMPLETE, `cut at ${cut}`);
    }
  });

  it('reports a flipped bit, a bad version or an absurd length as corrupt', () => {
    const { bytes } = encodeRecords([records[0]], 0, 0);
    const flipped = Buffer.from(bytes);
    flipped[flipped.byteLength - 3] ^= 0x10;
    assert.equal(frameEnd(flipped, 0, flipped.byteLength), CORRUPT);
    const version = Buffer.from(bytes);
    version[8] = 99;
    assert.equal(frameEnd(version, 0, version.byteLength), CORRUPT);
    const huge = Buffer.from(bytes);
    huge.writeUInt32BE(0xfffffff0, 0);
    assert.equal(frameEnd(huge, 0, huge.byteLength), CORRUPT);
    const zero = Buffer.alloc(64);
    assert.equal(frameEnd(zero, 0, zero.byteLength), CORRUPT);
  });

  it('refuses a record larger than a frame may be', () => {
    const big = { key: 'k', value: new Uint8Array(MAX_FRAME_BYTES) };
    assert.throws(() => encodeRecords([big], 0, 0), RecordTooLargeError);
  });
});
