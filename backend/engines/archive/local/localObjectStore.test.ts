import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ObjectStore } from '../../../../core/ports/objectStore.ts';
import { createLocalObjectStore } from './localObjectStore.ts';

const KEY = 'tenant=acme/date=2026-11-23/hour=12/p0-0-9.parquet';

describe('local object store', () => {
  let root: string;
  let store: ObjectStore;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-objects-'));
    store = createLocalObjectStore(join(root, 'archive'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('puts through a temporary file and leaves only the object behind', async () => {
    await store.put(KEY, new Uint8Array([1, 2, 3]));
    await store.put(KEY, new Uint8Array([4, 5]));
    assert.deepEqual(await readdir(join(root, 'archive/tenant=acme/date=2026-11-23/hour=12')), [
      'p0-0-9.parquet',
    ]);
    assert.deepEqual(await store.get(KEY), new Uint8Array([4, 5]));
    assert.deepEqual(await store.getRange(KEY, 1, 2), new Uint8Array([5]));
  });

  it('lists objects under a folder and folders one level down, never temporary files', async () => {
    await writeFile(
      join(root, 'archive/tenant=acme/date=2026-11-23/hour=12/.p0-10-19.parquet.1234.tmp'),
      'partial',
    );
    assert.deepEqual(await store.list('tenant=acme/'), [{ key: KEY, bytes: 2 }]);
    assert.deepEqual(await store.listFolders(''), ['tenant=acme']);
    assert.deepEqual(await store.list('tenant=nobody/'), []);
  });

  it('removes folders emptied by delete, with temporary files long abandoned in them, but not fresh ones', async () => {
    const stale = join(root, 'archive/tenant=acme/date=2026-11-23/hour=12/.p0-10-19.parquet.1234.tmp');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(stale, old, old);
    await store.put('tenant=acme/date=2026-11-23/hour=13/p0-0-0.parquet', new Uint8Array([1]));
    await mkdir(join(root, 'archive/tenant=acme/date=2026-11-23/hour=13'), { recursive: true });
    await writeFile(
      join(root, 'archive/tenant=acme/date=2026-11-23/hour=13/.p0-1-1.parquet.5678.tmp'),
      'in progress',
    );
    await store.delete([
      KEY,
      'tenant=acme/date=2026-11-23/hour=13/p0-0-0.parquet',
      'tenant=acme/date=2026-11-23/hour=14/none.parquet',
    ]);
    assert.deepEqual(await readdir(join(root, 'archive/tenant=acme/date=2026-11-23')), ['hour=13']);
  });

  it('refuses keys that could leave the root or pose as temporary files', async () => {
    for (const key of ['../escape.parquet', '/abs.parquet', 'a//b', 'a/./b', 'a/.hidden', '']) {
      await assert.rejects(store.put(key, new Uint8Array(1)), { code: 'object_key_invalid' }, key);
    }
    await assert.rejects(store.list('no-slash'), { code: 'object_key_invalid' });
  });
});
