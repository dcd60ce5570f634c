import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lockDir } from './dirLock.ts';
import { BusDirLockedError } from './errors.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-lock-'));
  dirs.push(dir);
  return dir;
}

describe('log directory lock', () => {
  it('refuses a second lock in the same process until released', async () => {
    const dir = await tempDir();
    const lock = await lockDir(dir);
    await assert.rejects(lockDir(dir), BusDirLockedError);
    await lock.release();
    await (await lockDir(dir)).release();
  });

  it('refuses a directory held by another live process', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'LOCK'), `${process.ppid}\n`);
    await assert.rejects(lockDir(dir), (err: BusDirLockedError) => err.ownerPid === process.ppid);
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    await once(child, 'exit');
    await writeFile(join(dir, 'LOCK'), `${child.pid}\n`);
    const lock = await lockDir(dir);
    assert.equal((await readFile(join(dir, 'LOCK'), 'utf8')).trim(), String(process.pid));
    await lock.release();
  });
});
