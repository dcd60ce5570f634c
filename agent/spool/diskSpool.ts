import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/fs/atomicFile.ts';
import type { Logger } from '../../core/log/logger.ts';
import { SpoolError } from './spoolError.ts';
import {
  compareSpoolKeys,
  decodeSpoolHeader,
  encodeSpoolFile,
  parseSpoolFileName,
  type SpoolKey,
  spoolFileName,
} from './spoolFile.ts';

/** A batch stored in the spool. */
export interface SpoolEntry<M> {
  key: SpoolKey;
  meta: M;
  /** Size of its file (header and body): what it counts against max_bytes. */
  bytes: number;
  path: string;
}

export interface DiskSpool<M> {
  readonly dir: string;
  /** Entries left by an earlier run, oldest first: they are sent before anything new. */
  readonly recovered: readonly SpoolEntry<M>[];
  /** Bytes of all spool files, writes in progress included. */
  readonly bytes: number;
  readonly files: number;
  /** A sequence number above every one on disk; batches get one each, in the order they are made. */
  nextSeq(): number;
  /** Whether a file of `size` bytes fits under max_bytes right now. */
  hasRoom(size: number): boolean;
  /** Stores a batch durably (fsynced, atomic); throws SpoolError `spool_full` when it does not fit. */
  write(key: SpoolKey, meta: M, body: Buffer): Promise<SpoolEntry<M>>;
  /** The body of a stored batch. */
  read(entry: SpoolEntry<M>): Promise<Buffer>;
  /** Deletes a batch once the gateway has it. */
  remove(entry: SpoolEntry<M>): Promise<void>;
  /** Resolves the next time space is freed. */
  whenRoom(): Promise<void>;
}

export interface DiskSpoolOptions<M> {
  maxBytes: number;
  log: Logger;
  /** Checks a recovered file's metadata; throw to set the file aside as damaged. */
  readMeta: (meta: unknown) => M;
}

const HEAD_CHUNK = 64 * 1024;
const MAX_HEADER = 16 * 1024 * 1024;

/**
 * A bounded FIFO of batches on disk, one file per batch, named by sequence so the directory listing is
 * the queue order. Files survive restarts: a batch spooled before a crash is replayed, so lines whose
 * file was rotated away while the gateway was down are not lost.
 */
export async function openDiskSpool<M>(dir: string, options: DiskSpoolOptions<M>): Promise<DiskSpool<M>> {
  await mkdir(dir, { recursive: true });
  const recovered = await recover<M>(dir, options);
  let bytes = recovered.reduce((sum, e) => sum + e.bytes, 0);
  let files = recovered.length;
  let seq = recovered.reduce((max, e) => Math.max(max, e.key.seq), 0);
  let roomWaiters: Array<() => void> = [];

  const freed = (): void => {
    const waiters = roomWaiters;
    roomWaiters = [];
    for (const wake of waiters) wake();
  };

  return {
    dir,
    recovered,
    get bytes() {
      return bytes;
    },
    get files() {
      return files;
    },
    nextSeq: () => ++seq,
    hasRoom: (size) => bytes + size <= options.maxBytes,
    async write(key, meta, body) {
      const chunks = encodeSpoolFile(meta, body);
      const size = chunks.reduce((sum, c) => sum + c.length, 0);
      if (bytes + size > options.maxBytes) {
        throw new SpoolError('spool_full', `spool ${dir} is full (${bytes} of ${options.maxBytes} bytes)`);
      }
      // Counted before the write finishes, so concurrent writes cannot overshoot max_bytes together.
      bytes += size;
      files++;
      const path = join(dir, spoolFileName(key));
      try {
        await writeFileAtomic(path, chunks);
      } catch (error) {
        bytes -= size;
        files--;
        freed();
        throw new SpoolError('spool_io', `cannot write spool file ${path}: ${(error as Error).message}`, {
          file: path,
          cause: error,
        });
      }
      return { key, meta, bytes: size, path };
    },
    async read(entry) {
      const handle = await open(entry.path, 'r');
      try {
        const header = await readHeader(handle, entry.path);
        const body = Buffer.allocUnsafe(header.bodyBytes);
        const { bytesRead } = await handle.read(body, 0, header.bodyBytes, header.bodyOffset);
        if (bytesRead !== header.bodyBytes) {
          throw new SpoolError('spool_corrupt', `spool file ${entry.path} is shorter than its header says`, {
            file: entry.path,
          });
        }
        return body;
      } finally {
        await handle.close();
      }
    },
    async remove(entry) {
      try {
        await unlink(entry.path);
      } catch (error) {
        // Already gone is what we wanted; anything else leaves a file that would be sent again after a
        // restart (a duplicate, which at-least-once allows), so it is reported and not fatal.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          options.log.warn('cannot delete a delivered spool file; it will be sent again after a restart', {
            file: entry.path,
            error: (error as Error).message,
          });
        }
      }
      bytes -= entry.bytes;
      files--;
      freed();
    },
    whenRoom: () => new Promise<void>((resolve) => roomWaiters.push(resolve)),
  };
}

/** Lists the spool, drops unfinished temp files, sets damaged files aside, and orders the rest. */
async function recover<M>(dir: string, options: DiskSpoolOptions<M>): Promise<SpoolEntry<M>[]> {
  const entries: SpoolEntry<M>[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (name.endsWith('.tmp')) {
      // A write cut short by a crash: its batch was never acknowledged, so the input re-reads it.
      await unlink(path);
      continue;
    }
    const key = parseSpoolFileName(name);
    if (key === undefined) continue;
    try {
      const { size } = await stat(path);
      const handle = await open(path, 'r');
      let header: Awaited<ReturnType<typeof readHeader>>;
      try {
        header = await readHeader(handle, path);
      } finally {
        await handle.close();
      }
      if (header.bodyOffset + header.bodyBytes !== size) {
        throw new SpoolError(
          'spool_corrupt',
          `spool file ${path} has ${size} bytes, its header says ${header.bodyOffset + header.bodyBytes}`,
          { file: path },
        );
      }
      entries.push({ key, meta: options.readMeta(header.meta), bytes: size, path });
    } catch (error) {
      // Keep the bytes for a human instead of deleting them, but never send them.
      await rename(path, `${path}.damaged`);
      options.log.error('spool file is damaged and was set aside', {
        file: `${path}.damaged`,
        error: (error as Error).message,
      });
    }
  }
  return entries.sort((a, b) => compareSpoolKeys(a.key, b.key));
}

async function readHeader(handle: Awaited<ReturnType<typeof open>>, path: string) {
  let size = HEAD_CHUNK;
  for (;;) {
    const head = Buffer.allocUnsafe(size);
    const { bytesRead } = await handle.read(head, 0, size, 0);
    const header = decodeSpoolHeader(head.subarray(0, bytesRead), path);
    if (header !== undefined) return header;
    if (bytesRead < size || size >= MAX_HEADER) {
      throw new SpoolError('spool_corrupt', `spool file ${path} has no complete header`, { file: path });
    }
    size *= 4;
  }
}
