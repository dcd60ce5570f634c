import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GroupOffsets } from './groupOffsets.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-offsets-'));
  dirs.push(dir);
  return dir;
}

describe('group offsets', () => {
  it('keeps commits across a reopen once flushed', async () => {
    const dir = await tempDir();
    const offsets = await GroupOffsets.open(dir, 'indexer');
    offsets.commit('logs.raw', 0, 42);
    offsets.commit('logs.raw', 3, 7);
    offsets.commit('logs.enriched', 1, 2 ** 40);
    await offsets.flush();
    const reopened = await GroupOffsets.open(dir, 'indexer');
    assert.equal(reopened.get('logs.raw', 0), 42);
    assert.equal(reopened.get('logs.raw', 3), 7);
    assert.equal(reopened.get('logs.enriched', 1), 2 ** 40);
    assert.equal(reopened.get('logs.raw', 1), undefined);
  });

  it('writes the latest state even when commits race a write in flight', async () => {
    const dir = await tempDir();
    const offsets = await GroupOffsets.open(dir, 'g');
    for (let i = 1; i <= 100; i++) {
      offsets.commit('t', i % 4, i);
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    await offsets.flush();
    const reopened = await GroupOffsets.open(dir, 'g');
    assert.deepEqual(
      [0, 1, 2, 3].map((p) => reopened.get('t', p)),
      [100, 97, 98, 99],
    );
  });

  it('keeps each group in its own file, whatever characters its name has', async () => {
    const dir = await tempDir();
    for (const group of ['a/b', '..', 'ünïcode group']) {
      const offsets = await GroupOffsets.open(dir, group);
      offsets.commit('t', 0, group.length);
      await offsets.flush();
    }
    const files = await readdir(dir);
    assert.equal(files.length, 3);
    assert.ok(files.every((f) => /^[A-Za-z0-9_-]+\.json$/.test(f)));
    assert.equal((await GroupOffsets.open(dir, '..')).get('t', 0), 2);
    const content = JSON.parse(await readFile(join(dir, GroupOffsets.fileName('a/b')), 'utf8'));
    assert.deepEqual(content, { group: 'a/b', offsets: { t: { 0: '3' } } });
  });

  it('ignores a temp file left by a write interrupted before its rename', async () => {
    const dir = await tempDir();
    const offsets = await GroupOffsets.open(dir, 'g');
    offsets.commit('t', 0, 5);
    await offsets.flush();
    await writeFile(join(dir, `${GroupOffsets.fileName('g')}.tmp`), '{"group":"g","offsets":{"t":{"0":"99');
    assert.equal((await GroupOffsets.open(dir, 'g')).get('t', 0), 5);
  });
});
