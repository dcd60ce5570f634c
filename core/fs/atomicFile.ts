import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces `path` with `data` so that a crash at any moment (kill -9, power loss) leaves either the old
 * content or the new one, never a mix:
 *  1. write everything to `<path>.tmp` and fsync it, so the bytes are on disk before they are named
 *     (without it the rename can reach the disk first: a complete-looking empty file);
 *  2. rename it over `path`: rename(2) swaps the name in one step, readers see old or new;
 *  3. fsync the directory, so the rename itself survives a power loss.
 * Used for checkpoints, committed offsets, topic metadata and spooled batches. One writer per path.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  mode = 0o600,
): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    if (Array.isArray(data)) await handle.writev(data as Uint8Array[]);
    else await handle.writeFile(data as string | Uint8Array);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined); // already failing; the error that matters is the write's
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDir(dirname(path));
}

/**
 * fsyncs a directory, making the names created, renamed or removed in it durable. Platforms that cannot
 * open or fsync a directory (Windows, some network file systems) keep the rename atomic; only its
 * durability across a power cut is then up to the file system.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES' && code !== 'EBADF')
      throw error;
  } finally {
    await handle?.close();
  }
}
