import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeFileAtomic } from './atomicFile.ts';

describe('writeFileAtomic', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-atomic-'));
  after(() => rm(dir, { recursive: true, force: true }));

  it('replaces a file whole and leaves no temporary behind', async () => {
    const path = join(dir, 'state.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, [Buffer.from('ne'), Buffer.from('w')]);
    assert.equal(await readFile(path, 'utf8'), 'new');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['state.json']);
  });

  it('creates missing folders when asked, with the mode and temporary name given', async () => {
    const path = join(dir, 'a', 'b', 'object.bin');
    const temporary = join(dir, 'a', 'b', '.object.bin.1.tmp');
    await writeFileAtomic(path, new Uint8Array([1, 2]), { createFolders: true, mode: 0o644, temporary });
    assert.deepEqual([...(await readFile(path))], [1, 2]);
    assert.equal((await stat(path)).mode & 0o777, 0o644);
    assert.deepEqual(await readdir(join(dir, 'a', 'b')), ['object.bin']);
  });

  it('fails without creating folders unless asked', async () => {
    await assert.rejects(writeFileAtomic(join(dir, 'missing', 'x'), 'x'), { code: 'ENOENT' });
  });
});
