import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { waitFor } from '../../test/helpers/waitFor.ts';
import { type CheckpointEntry, CheckpointStore } from './checkpointStore.ts';

const entry = (offset: number, updatedAt = Date.now()): CheckpointEntry => ({
  path: '/var/log/app.log',
  dev: 2049,
  ino: 1234,
  birthtimeMs: 1700000000000,
  head: { len: 12, hash: 'abc' },
  offset,
  updatedAt,
});

describe('checkpoint store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-checkpoint-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts fresh without a file and loads what it wrote after a restart', async () => {
    const path = join(dir, 'input.json');
    const store = await CheckpointStore.open({ path });
    assert.equal(store.origin, 'fresh');
    store.set('f1', entry(4096));
    await store.close();
    const again = await CheckpointStore.open({ path });
    assert.equal(again.origin, 'loaded');
    assert.equal(again.get('f1')?.offset, 4096);
  });

  it('coalesces changes made within the debounce into one write', async () => {
    const path = join(dir, 'input.json');
    const store = await CheckpointStore.open({ path, debounceMs: 60_000 });
    for (let offset = 1; offset <= 100; offset++) store.set('f1', entry(offset));
    await assert.rejects(
      readFile(path),
      { code: 'ENOENT' },
      'nothing written before the debounce or a flush',
    );
    await store.flush();
    assert.equal(JSON.parse(await readFile(path, 'utf8')).files.f1.offset, 100);
    await store.close();
  });

  it('writes on its own after the debounce', async () => {
    const path = join(dir, 'input.json');
    const store = await CheckpointStore.open({ path, debounceMs: 5 });
    store.set('f1', entry(77));
    const text = await waitFor('the debounced write', () => readFile(path, 'utf8').catch(() => undefined));
    assert.equal(JSON.parse(text).files.f1.offset, 77);
    await store.close();
  });

  it('sets a corrupt file aside and starts empty, flagged corrupt', async () => {
    const path = join(dir, 'input.json');
    await writeFile(path, '{"version":1,"files":{"f1":{"path":"/x","off');
    const store = await CheckpointStore.open({ path });
    assert.equal(store.origin, 'corrupt');
    assert.equal(store.size, 0);
    const names = await readdir(dir);
    assert.ok(
      names.some((name) => name.startsWith('input.json.corrupt-')),
      names.join(','),
    );
  });

  it('rejects entries of the wrong shape as corrupt rather than trusting them', async () => {
    const path = join(dir, 'input.json');
    await writeFile(path, JSON.stringify({ version: 1, files: { f1: { ...entry(1), offset: -5 } } }));
    assert.equal((await CheckpointStore.open({ path })).origin, 'corrupt');
  });

  it('removes a temp file left by a crash mid-write and keeps the real checkpoint', async () => {
    const path = join(dir, 'input.json');
    const store = await CheckpointStore.open({ path });
    store.set('f1', entry(10));
    await store.close();
    await writeFile(`${path}.tmp`, '{"version":1,"fil');
    const again = await CheckpointStore.open({ path });
    assert.equal(again.get('f1')?.offset, 10);
    assert.deepEqual((await readdir(dir)).sort(), ['input.json']);
  });

  it('forgets entries of files not seen for the TTL, but never those still open', async () => {
    let now = 1_000_000;
    const path = join(dir, 'input.json');
    const store = await CheckpointStore.open({ path, ttlMs: 1000, now: () => now });
    store.set('gone', entry(1, now));
    store.set('open', entry(2, now));
    now += 600;
    assert.equal(store.sweep(new Set(['open'])), 0);
    now += 600;
    assert.equal(store.sweep(new Set(['open'])), 1);
    assert.equal(store.get('gone'), undefined);
    assert.equal(store.get('open')?.updatedAt, 1_001_200, 'refreshed while open so a restart keeps it');
    await store.close();
  });
});
