import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type LineRecord, lineRecord } from '../../inputs/lineRecord.ts';
import type { ShipRecord } from '../../ship/shipRecord.ts';
import { eventSource } from '../eventBuilder.ts';
import { recordsOf } from '../pipeline.testkit.ts';
import { linesMessage, linesOf, RecordsEncoder } from './messages.ts';

describe('pipeline worker messages', () => {
  it('carry lines of several files, cut and partial ones included, and give them back as they were', () => {
    const lines: LineRecord[] = [
      lineRecord('/var/log/a.log', 'fa', 0, 12, '{"msg":"one"}', undefined, false),
      lineRecord('/var/log/a.log', 'fa', 12, 5012, 'x'.repeat(256), { originalBytes: 5000 }, false),
      lineRecord('/var/log/b.log', 'fb', 7, 20, 'zwölf € 🙂', undefined, false),
      lineRecord('/var/log/a.log', 'fa', 5012, 5020, 'no newline', undefined, true),
    ];
    const { message, transfer } = linesMessage(3, 41, lines, 1_795_000_000_000, []);
    assert.deepEqual(message.fileIds, ['fa', 'fb', 'fa'], 'one run per change of file');
    assert.equal(transfer.length, 3);
    const back = linesOf(structuredClone(message, { transfer }));
    assert.deepEqual(back, lines);
    assert.deepEqual([message.input, message.seq, message.now], [3, 41, 1_795_000_000_000]);
  });

  it('encode events as NDJSON with their source ranges, in runs of one file', () => {
    const records: ShipRecord[] = [
      { json: '{"id":"1","message":"a"}', fileId: 'fa', offset: 0, next: 10 },
      { json: '{"id":"2","message":"zwölf € 🙂"}', fileId: 'fa', offset: 10, next: 30 },
      { json: '{"id":"3","message":"b"}', fileId: 'fb', offset: 0, next: 7 },
      { json: `{"id":"4","message":"${'y'.repeat(2_000_000)}"}`, fileId: 'fb', offset: 7, next: 2_000_100 },
    ];
    const encoder = new RecordsEncoder();
    for (const r of records) encoder.push(r);
    const { block, transfer } = encoder.finish();
    assert.deepEqual(block.fileIds, ['fa', 'fb']);
    assert.deepEqual([...block.runEnds], [2, 4]);
    assert.deepEqual(transfer, [block.bytes.buffer], 'one buffer holds bytes, ends and ranges');
    assert.deepEqual(recordsOf(structuredClone(block, { transfer })), records);
    assert.equal(encoder.finish().block.ends.length, 0, 'each finish starts a new block');
  });

  it("write a line's bytes inside an envelope as JSON.stringify quotes them, and refuse bytes that need more", () => {
    const printable = fc.string({
      unit: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(
      fc.property(printable, fc.string(), (line, other) => {
        const encoder = new RecordsEncoder();
        const bytes = Buffer.from(`>>${line}<<`);
        const from = {
          ...eventSource(),
          fileId: 'f',
          offset: 3,
          next: 9,
          bytes,
          start: 2,
          end: bytes.length - 2,
        };
        const wrote = encoder.pushWrapped('{"id":"é","message":', from, '}');
        const needsMore = line.includes('\\');
        assert.equal(wrote, !needsMore);
        // Whatever was refused left nothing behind: the next record starts clean.
        encoder.push({ json: JSON.stringify({ other }), fileId: 'f', offset: 9, next: 12 });
        const expected = [{ json: JSON.stringify({ other }), fileId: 'f', offset: 9, next: 12 }];
        if (wrote)
          expected.unshift({
            json: `{"id":"é","message":${JSON.stringify(line)}}`,
            fileId: 'f',
            offset: 3,
            next: 9,
          });
        assert.deepEqual(recordsOf(encoder.finish().block), expected);
      }),
    );
    for (const refused of ['tab\there', 'new\nline', 'caf\u00e9', 'back\\slash', 'del\u007f']) {
      const encoder = new RecordsEncoder();
      const bytes = Buffer.from(refused);
      const from = { ...eventSource(), fileId: 'f', next: 1, bytes, end: bytes.length };
      assert.equal(encoder.pushWrapped('{"m":', from, '}'), false, refused);
      assert.equal(encoder.finish().block.ends.length, 0);
    }
  });

  it('write into a buffer the main thread sent back instead of a new one', () => {
    const encoder = new RecordsEncoder();
    encoder.push({ json: '{"n":1}', fileId: 'f', offset: 0, next: 2 });
    const first = encoder.finish();
    const returned = structuredClone(first.block, { transfer: first.transfer }).bytes.buffer as ArrayBuffer;
    encoder.recycle([returned]);
    encoder.push({ json: '{"n":2}', fileId: 'f', offset: 2, next: 4 });
    const second = encoder.finish();
    assert.equal(second.block.bytes.buffer, returned);
    assert.deepEqual(recordsOf(second.block), [{ json: '{"n":2}', fileId: 'f', offset: 2, next: 4 }]);
  });
});
