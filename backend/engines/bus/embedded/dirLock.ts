/**
 * One process per log directory: two writers appending to the same segments would interleave frames.
 * The lock is a file holding the owner's pid; a lock left by a process that died (kill -9, power loss)
 * is taken over, which is what lets a crashed standalone restart without manual cleanup.
 */
import { open, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BusDirLockedError } from './errors.ts';

const LOCK_FILE = 'LOCK';
/** Directories this process holds, so a second bus on the same dir in one process is refused too. */
const heldHere = new Set<string>();

export interface DirLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockDir(dir: string): Promise<DirLock> {
  const key = await realpath(dir);
  if (heldHere.has(key)) throw new BusDirLockedError(dir, process.pid);
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner))
      throw new BusDirLockedError(dir, owner);
    // Stale (owner gone, or a pid of ours from before a restart reused it): remove and try once more.
    await rm(path, { force: true });
  }
  heldHere.add(key);
  return {
    async release() {
      heldHere.delete(key);
      await rm(path, { force: true });
    },
  };
}
