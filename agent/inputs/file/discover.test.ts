import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { compileDiscovery, discover } from './discover.ts';

describe('discover', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-discover-'));
    await mkdir(join(dir, 'a/b/c'), { recursive: true });
    for (const file of [
      'app.log',
      'app.log.1',
      'app.log.2.gz',
      '.hidden.log',
      'a/x.log',
      'a/b/c/deep.log',
      'a/b/y.txt',
    ]) {
      await writeFile(join(dir, file), 'line\n');
    }
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const found = async (paths: string[], exclude: string[] = []) =>
    [...(await discover(compileDiscovery(paths, exclude, dir))).keys()]
      .map((p) => p.slice(dir.length + 1))
      .sort();

  it('expands *, ? and classes within one directory', async () => {
    assert.deepEqual(await found(['*.log']), ['.hidden.log', 'app.log']);
    assert.deepEqual(await found(['app.log.?']), ['app.log.1']);
    assert.deepEqual(await found(['app.log*']), ['app.log', 'app.log.1', 'app.log.2.gz']);
  });

  it('expands ** to any depth, zero included', async () => {
    assert.deepEqual(await found(['**/*.log']), ['.hidden.log', 'a/b/c/deep.log', 'a/x.log', 'app.log']);
    assert.deepEqual(await found(['a/**']), ['a/b/c/deep.log', 'a/b/y.txt', 'a/x.log']);
  });

  it('leaves excluded files out', async () => {
    assert.deepEqual(await found(['app.log*'], ['*.gz']), ['app.log', 'app.log.1']);
    assert.deepEqual(await found(['**/*.log'], [`${dir}/a/**`, '.*']), ['app.log']);
  });

  it('follows links to files and reports each name once', async () => {
    await symlink(join(dir, 'a/x.log'), join(dir, 'link.log'));
    const files = await discover(compileDiscovery(['*.log', '*.log'], [], dir));
    const link = files.get(join(dir, 'link.log'));
    const target = (await discover(compileDiscovery(['a/x.log'], [], dir))).get(join(dir, 'a/x.log'));
    assert.ok(link !== undefined && target !== undefined);
    assert.equal(link.ino, target.ino, 'the link stands for its target file');
    assert.equal([...files.keys()].length, 3);
  });

  it('is not bothered by directories that do not exist yet', async () => {
    assert.deepEqual(await found(['nowhere/*.log', 'app.log']), ['app.log']);
  });
});
