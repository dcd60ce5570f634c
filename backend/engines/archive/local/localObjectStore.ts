import { randomUUID } from 'node:crypto';
import { open, readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../../../core/fs/atomicFile.ts';
import { checkKey, type ObjectStore, type StoredObject } from '../../../../core/ports/objectStore.ts';

/**
 * The archive's bytes in a local directory (standalone mode): one file per object, folders as in the key.
 * Atomic put by write-to-temporary + fsync + rename: readers see the old file or the new one, never a part.
 */

/** A temporary file this old belongs to a write that crashed (a live write takes seconds). */
const STALE_TEMPORARY_MS = 3_600_000;
const TEMPORARY = /^\..*\.tmp$/;

export function createLocalObjectStore(dir: string): ObjectStore {
  const root = resolve(dir);
  const pathOf = (key: string) => join(root, ...key.split('/'));

  return {
    async put(key, body) {
      checkKey(key);
      const path = pathOf(key);
      try {
        await writeDurably(path, body);
      } catch (error) {
        // delete() may have removed the folder, just emptied, between our mkdir and our open: once more.
        if (errorCode(error) !== 'ENOENT') throw error;
        await writeDurably(path, body);
      }
    },

    async get(key) {
      checkKey(key);
      try {
        const bytes = await readFile(pathOf(key));
        // A plain Uint8Array view, as the S3 store returns: callers compare and slice without Buffer's quirks.
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return undefined;
        throw error;
      }
    },

    async getRange(key, start, end) {
      checkKey(key);
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(pathOf(key), 'r');
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return undefined;
        throw error;
      }
      try {
        const bytes = new Uint8Array(Math.max(0, end - start));
        const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
        return bytes.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },

    async list(prefix) {
      checkKey(prefix, { folder: true });
      const found: StoredObject[] = [];
      await walk(pathOf(prefix), prefix, found);
      return found;
    },

    async listFolders(prefix) {
      checkKey(prefix, { folder: true });
      const entries = await readFolder(pathOf(prefix));
      return entries
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
        .map((entry) => entry.name);
    },

    async delete(keys) {
      const folders = new Set<string>();
      for (const key of keys) {
        checkKey(key);
        await unlink(pathOf(key)).catch((error) => {
          if (errorCode(error) !== 'ENOENT') throw error;
        });
        folders.add(dirname(pathOf(key)));
      }
      // Deepest first, so an hour folder goes before its date folder.
      for (const folder of [...folders].sort((a, b) => b.length - a.length))
        await removeEmptyFolders(root, folder);
    },
  };
}

/**
 * The shared durable write (core/fs/atomicFile.ts), with what an object store adds: folders made as the
 * key needs them, files readable by the archive's other readers, and a temporary name of its own per
 * write (hidden from listings by its leading '.') since two writers may put one key at once.
 */
function writeDurably(path: string, body: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  return writeFileAtomic(path, body, { mode: 0o644, temporary, createFolders: true });
}

async function walk(folder: string, prefix: string, found: StoredObject[]): Promise<void> {
  for (const entry of await readFolder(folder)) {
    // Temporary files of writes in progress (or crashed) start with '.': never listed, never read.
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await walk(path, `${prefix}${entry.name}/`, found);
    else if (entry.isFile()) found.push({ key: `${prefix}${entry.name}`, bytes: (await stat(path)).size });
  }
}

async function readFolder(folder: string) {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Removes `folder` and its parents up to (not including) `root` while they are empty, so retention does
 * not leave thousands of empty hour folders. Temporary files left by a crashed write long ago do not keep
 * a folder alive; a recent one might be a write in progress and does.
 */
async function removeEmptyFolders(root: string, folder: string): Promise<void> {
  for (
    let current = folder;
    current.length > root.length && current.startsWith(root);
    current = dirname(current)
  ) {
    const entries = await readFolder(current);
    for (const entry of entries) {
      if (!TEMPORARY.test(entry.name)) return;
      const path = join(current, entry.name);
      const age = Date.now() - (await stat(path)).mtimeMs;
      if (age < STALE_TEMPORARY_MS) return;
      await unlink(path).catch(() => undefined); // another pruner got it first: fine
    }
    try {
      await rmdir(current);
    } catch (error) {
      // Not empty any more (a write just started here), or already removed: leave it.
      if (errorCode(error) === 'ENOTEMPTY' || errorCode(error) === 'ENOENT' || errorCode(error) === 'EEXIST')
        return;
      throw error;
    }
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
