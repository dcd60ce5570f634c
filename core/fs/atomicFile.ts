import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** Permissions of a new file; default 0o600 (checkpoints and spooled batches are the user's data). */
  mode?: number;
  /**
   * Where the bytes are written before the rename, in the same folder (rename is atomic only within one
   * file system); default `<path>.tmp`, fine for one writer per path. Several writers of one path each
   * need a name of their own (the local object store uses `.<name>.<uuid>.tmp`).
   */
  temporary?: string;
  /** Create the missing folders of `path`, and fsync each one created so its name survives a power cut. */
  createFolders?: boolean;
}

/**
 * Replaces `path` with `data` so that a crash at any moment (kill -9, power loss) leaves either the old
 * content or the new one, never a mix:
 *  1. write everything to a temporary file and fsync it, so the bytes are on disk before they are named
 *     (without it the rename can reach the disk first: a complete-looking empty file);
 *  2. rename it over `path`: rename(2) swaps the name in one step, readers see old or new;
 *  3. fsync the directory, so the rename itself survives a power loss.
 * Used for checkpoints, committed offsets, topic metadata, spooled batches and local archive files: the
 * one durable-write rule.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): Promise<void> {
  const folder = dirname(path);
  const created = options.createFolders ? await mkdir(folder, { recursive: true }) : undefined;
  const temp = options.temporary ?? `${path}.tmp`;
  const handle = await open(temp, 'w', options.mode ?? 0o600);
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
  await fsyncDir(folder);
  // mkdir returns the first folder it created: its parent and every created folder below need their new
  // names made durable too.
  if (created !== undefined) {
    for (let parent = dirname(folder); ; parent = dirname(parent)) {
      await fsyncDir(parent);
      if (parent === dirname(created) || parent === dirname(parent)) break;
    }
  }
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
