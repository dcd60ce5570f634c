import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareSpoolKeys,
  decodeSpoolHeader,
  encodeSpoolFile,
  parseSpoolFileName,
  spoolFileName,
} from './spoolFile.ts';

describe('spool file', () => {
  it('names files so that they parse back to their key', () => {
    for (const key of [
      { seq: 1, part: '' },
      { seq: 123456789, part: '10' },
    ]) {
      assert.deepEqual(parseSpoolFileName(spoolFileName(key)), key);
    }
    assert.equal(parseSpoolFileName('notes.txt'), undefined);
    assert.equal(parseSpoolFileName(`${spoolFileName({ seq: 1, part: '' })}.tmp`), undefined);
  });

  it('orders by sequence, then split halves in tree order', () => {
    const keys = [
      { seq: 10, part: '' },
      { seq: 2, part: '11' },
      { seq: 2, part: '0' },
      { seq: 2, part: '10' },
      { seq: 9, part: '' },
    ];
    assert.deepEqual(
      keys.sort(compareSpoolKeys).map((k) => `${k.seq}${k.part}`),
      ['20', '210', '211', '9', '10'],
    );
  });

  it('reads back the header it wrote, and asks for more bytes when the header is cut', () => {
    const file = Buffer.concat(encodeSpoolFile({ acks: [['f', 0, 10]] }, Buffer.from('BODY')));
    const header = decodeSpoolHeader(file, 'x');
    assert.ok(header !== undefined);
    assert.deepEqual(header.meta, { acks: [['f', 0, 10]] });
    assert.equal(file.subarray(header.bodyOffset).toString(), 'BODY');
    assert.equal(header.bodyBytes, 4);
    assert.equal(decodeSpoolHeader(file.subarray(0, 20), 'x'), undefined);
  });

  it('refuses bytes that are not a spool file', () => {
    assert.throws(() => decodeSpoolHeader(Buffer.from('GIF89a and more bytes than the magic'), 'x'), {
      code: 'spool_corrupt',
    });
  });
});
