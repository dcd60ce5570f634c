import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../core/log/logger.ts';
import { openDiskSpool } from './diskSpool.ts';
import { spoolFileName } from './spoolFile.ts';

interface Meta {
  note: string;
}

const readMeta = (meta: unknown): Meta => {
  if (typeof (meta as Meta)?.note !== 'string') throw new Error('no note');
  return meta as Meta;
};

describe('disk spool', () => {
  let root: string;
  let n = 0;
  const freshDir = () => join(root, `spool-${n++}`);
  const open = (dir: string, maxBytes = 1 << 20) =>
    openDiskSpool<Meta>(dir, { maxBytes, log: silentLogger, readMeta });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-spool-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores a batch and gives its body back', async () => {
    const spool = await open(freshDir());
    const entry = await spool.write(
      { seq: spool.nextSeq(), part: '' },
      { note: 'one' },
      Buffer.from('body bytes'),
    );
    assert.equal(spool.files, 1);
    assert.equal(spool.bytes, entry.bytes);
    assert.deepEqual(await spool.read(entry), Buffer.from('body bytes'));
    await spool.remove(entry);
    assert.equal(spool.files, 0);
    assert.equal(spool.bytes, 0);
    assert.deepEqual(await readdir(spool.dir), []);
  });

  it('hands batches left by an earlier run back in order, with their metadata', async () => {
    const dir = freshDir();
    const first = await open(dir);
    // Written out of order on purpose; halves of a split batch sort where the batch was.
    await first.write({ seq: 3, part: '' }, { note: 'c' }, Buffer.from('c'));
    await first.write({ seq: 2, part: '1' }, { note: 'b1' }, Buffer.from('b1'));
    await first.write({ seq: 1, part: '' }, { note: 'a' }, Buffer.from('a'));
    await first.write({ seq: 2, part: '0' }, { note: 'b0' }, Buffer.from('b0'));
    const second = await open(dir);
    assert.deepEqual(
      second.recovered.map((e) => e.meta.note),
      ['a', 'b0', 'b1', 'c'],
    );
    assert.deepEqual(await second.read(second.recovered[1]), Buffer.from('b0'));
    assert.ok(second.nextSeq() > 3, 'new batches sort after the recovered ones');
    assert.equal(second.files, 4);
  });

  it('refuses a batch that would pass max_bytes and says when there is room again', async () => {
    const spool = await open(freshDir(), 500);
    const body = Buffer.alloc(150, 1);
    const kept = await spool.write({ seq: spool.nextSeq(), part: '' }, { note: 'x' }, body);
    await spool.write({ seq: spool.nextSeq(), part: '' }, { note: 'y' }, body);
    assert.equal(spool.hasRoom(200), false);
    await assert.rejects(spool.write({ seq: spool.nextSeq(), part: '' }, { note: 'z' }, body), {
      code: 'spool_full',
    });
    const room = spool.whenRoom();
    await spool.remove(kept);
    await room;
    assert.equal(spool.hasRoom(200), true);
  });

  it('deletes half-written temp files and sets damaged files aside instead of sending them', async () => {
    const dir = freshDir();
    const first = await open(dir);
    const good = await first.write({ seq: first.nextSeq(), part: '' }, { note: 'good' }, Buffer.from('good'));
    const cut = await first.write(
      { seq: first.nextSeq(), part: '' },
      { note: 'cut' },
      Buffer.from('cut short'),
    );
    await truncate(cut.path, cut.bytes - 3);
    await writeFile(join(dir, `${spoolFileName({ seq: 99, part: '' })}`), 'not a spool file');
    await writeFile(join(dir, `${spoolFileName({ seq: 100, part: '' })}.tmp`), 'partial');
    const second = await open(dir);
    assert.deepEqual(
      second.recovered.map((e) => e.meta.note),
      ['good'],
    );
    assert.equal(second.bytes, good.bytes);
    const names = (await readdir(dir)).sort();
    assert.deepEqual(names, [
      spoolFileName({ seq: 1, part: '' }),
      `${spoolFileName({ seq: 2, part: '' })}.damaged`,
      `${spoolFileName({ seq: 99, part: '' })}.damaged`,
    ]);
  });

  it('sets aside a file whose metadata the reader does not accept', async () => {
    const dir = freshDir();
    const first = await open(dir);
    await first.write(
      { seq: first.nextSeq(), part: '' },
      { wrong: true } as unknown as Meta,
      Buffer.from('x'),
    );
    const second = await open(dir);
    assert.equal(second.recovered.length, 0);
    assert.equal(second.files, 0);
  });
});
