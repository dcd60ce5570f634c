import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces `path` with `data` so that a crash at any moment (kill -9, power loss) leaves either the
 * old content or the new one, never a mix:
 *  1. write everything to `<path>.tmp` and fsync it, so the new bytes are on disk before they are named;
 *  2. rename it over `path`: rename(2) swaps the name in one step, readers see old or new;
 *  3. fsync the directory, so the rename itself survives a power loss.
 * One writer per path is assumed (one agent per state_dir).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined); // best effort: the error that matters is the rename's
    throw error;
  }
  await syncDirectory(dirname(path));
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms cannot open or fsync a directory (Windows, some network file systems). The rename
    // is still atomic there; only its durability across a power cut is up to the file system.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}
