import { open, rename, unlink } from 'node:fs/promises';

/**
 * Writes a file so that, after a crash or power loss, it either exists with all of `chunks` or does not
 * exist at all: write a temporary name, fsync it, rename it over the final name, fsync the directory.
 * Without the first fsync the rename can reach the disk before the data (a complete-looking empty file);
 * without the second the rename itself can be lost.
 */
export async function writeFileAtomic(path: string, chunks: readonly Buffer[]): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writev(chunks as Buffer[]);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined); // already failing; the temp file is swept at next open anyway
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  await syncDirectory(path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))) || '.');
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; there the rename is as durable as the
    // file system makes it, and the worst case after power loss is a batch sent again from the source.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}
