import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkSqliteFile } from './sqliteFile.ts';
import { checkWritableDir, probeWritableDir } from './writableDir.ts';

let root: string;

describe('directory checks', () => {
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-writable-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('passes an existing directory after writing and removing a probe file', async () => {
    const dir = join(root, 'existing');
    await mkdir(dir);
    assert.deepEqual(await checkWritableDir(dir, 'bus.dir'), { ok: true, detail: `${dir} is writable` });
    assert.deepEqual(await readdir(dir), []);
  });

  it('passes a directory that does not exist yet, and creates nothing', async () => {
    const dir = join(root, 'missing/a/b');
    const result = await checkWritableDir(dir, 'bus.dir');
    assert.deepEqual(result, { ok: true, detail: `${dir} does not exist yet and can be created` });
    assert.ok(!(await readdir(root)).includes('missing'));
  });

  it('fails a path under a regular file, naming the key to set', async () => {
    const file = join(root, 'plain-file');
    await writeFile(file, 'x');
    const result = await checkWritableDir(join(file, 'bus'), 'bus.dir');
    assert.equal(result.ok, false);
    assert.match(result.detail, /a part of the path is a file, not a directory: set bus\.dir$/);
    const probe = await probeWritableDir(join(file, 'bus'), 'bus.dir');
    assert.equal(probe.ok, false);
  });

  it('fails a path that is a file', async () => {
    const file = join(root, 'file-not-dir');
    await writeFile(file, 'x');
    const result = await checkWritableDir(file, 'archive.dir');
    assert.deepEqual(result, {
      ok: false,
      detail: `${file} exists but is not a directory: move it or set archive.dir`,
    });
  });

  it('fails a SQLite path holding something that is not a database', async () => {
    const file = join(root, 'metrics.db');
    await writeFile(file, 'not a database, just text that is long enough to have a header'.repeat(4));
    const result = await checkSqliteFile(file, 'metrics.path');
    assert.equal(result.ok, false);
    assert.match(result.detail, /cannot be opened as SQLite \(.*\): move it away or set metrics\.path$/);
  });
});
