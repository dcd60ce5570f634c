import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { fileIdBase, headMatches, headOf, namingBytes, nextFileId, splitFileId } from './fingerprint.ts';

const identity = { dev: 2049, ino: 77, birthtimeMs: 1700000000123 };

describe('fingerprint', () => {
  it('recognizes a grown file by the head it had, and a rewritten one by a head it lost', () => {
    const head = headOf(Buffer.from('2026-01-01 first\n2026'));
    assert.ok(headMatches(head, Buffer.from('2026-01-01 first\n2026-01-01 second\n')));
    assert.ok(!headMatches(head, Buffer.from('2026-01-02 other\n2026-01-01 second\n')));
    assert.ok(!headMatches(head, Buffer.from('2026-01-01 fi')), 'shorter than the head: truncated');
  });

  it('names a file by its first line only once that line is complete', () => {
    assert.equal(namingBytes(Buffer.from('no newline yet'), 1024), undefined);
    assert.equal(Buffer.from(namingBytes(Buffer.from('first\nsecond'), 1024) ?? []).toString(), 'first\n');
    assert.equal(
      namingBytes(Buffer.alloc(2000, 0x61), 1024)?.length,
      1024,
      'a long first line: its first bytes',
    );
    assert.equal(Buffer.from(namingBytes(Buffer.from('forced'), 1024, true) ?? []).toString(), 'forced');
  });

  it('gives a file the same id however much of it exists when it is named', () => {
    const early = fileIdBase(identity, namingBytes(Buffer.from('first\nsec'), 1024) ?? Buffer.alloc(0));
    const later = fileIdBase(
      identity,
      namingBytes(Buffer.from('first\nsecond\nthird\n'), 1024) ?? Buffer.alloc(0),
    );
    assert.equal(early, later);
    assert.notEqual(early, fileIdBase({ ...identity, birthtimeMs: 1700000000124 }, Buffer.from('first\n')));
    assert.notEqual(early, fileIdBase({ ...identity, ino: 78 }, Buffer.from('first\n')));
  });

  it('moves to the next generation when an id was used before on the inode', () => {
    const base = fileIdBase(identity, Buffer.from('first\n'));
    assert.equal(nextFileId(base, []), base);
    assert.equal(nextFileId(base, ['other-id']), base);
    assert.equal(nextFileId(base, [base]), `${base}.g1`);
    assert.equal(nextFileId(base, [base, `${base}.g1`]), `${base}.g2`);
    assert.deepEqual(splitFileId(`${base}.g2`), { base, generation: 2 });
  });
});
