/**
 * Durable small-file writes for state that must be all-or-nothing (committed offsets, topic metadata).
 */
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * fsyncs a directory, making the names created, renamed or removed in it durable. Without this, a power
 * loss can forget a new segment file or a rename even though the file's own data was fsynced.
 */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `data` so that after a crash the file holds either the old or the new content,
 * never a mix: write a temp file, fsync it (its data is on disk before its name is), rename it over the
 * target (rename(2) is atomic within one filesystem), then fsync the directory so the rename itself lasts.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  await fsyncDir(dirname(path));
}
