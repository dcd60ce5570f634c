import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * How a file is recognized, whatever its name:
 *
 * - **Where it lives**: device and inode. They follow the file through renames (rotation) and do not
 *   change when it is written, but an inode is reused once its file is deleted.
 * - **When it was made**: the creation time (statx birth time), where the file system reports it. It
 *   tells a reused inode from the file that had it before; 0 where unknown.
 * - **What it starts with**: the hash of its first bytes (the *head*, up to `fingerprint_bytes`, 1 KiB by
 *   default). Appending never changes them; truncation, rewriting and a new file on a reused inode do.
 *   A file shorter than that is fingerprinted by what it has; the head grows with the file and every
 *   longer head is checked to start with the shorter one, so a rewrite is noticed even then.
 *
 * The **file id** that event ids are derived from must never change while the file lives, so it cannot
 * hash a head that is still growing. It hashes the file's *first line* instead (capped at
 * `fingerprint_bytes`): complete before any line of the file is emitted, and fixed afterwards. A truncated
 * or rewritten file whose first line happens to be the same gets the next generation suffix (`.g1`,
 * `.g2`, …), so offsets that start again at 0 never repeat an event id already sent.
 */

export interface Head {
  /** Bytes hashed: min(file size, fingerprint_bytes) when last checked. */
  len: number;
  hash: string;
}

export interface FileIdentity {
  dev: number;
  ino: number;
  /** Creation time in whole milliseconds (runtimes differ below that), or 0 when unknown. */
  birthtimeMs: number;
}

/** Whole milliseconds: Node reports sub-millisecond birth times, Deno does not; both agree on this. */
export function birthMs(birthtimeMs: number): number {
  return Number.isFinite(birthtimeMs) && birthtimeMs > 0 ? Math.floor(birthtimeMs) : 0;
}

/** Reads the first min(size, maxBytes) bytes of the file (fewer if it shrank meanwhile). */
export async function readHead(handle: FileHandle, size: number, maxBytes: number): Promise<Buffer> {
  const want = Math.min(size, maxBytes);
  const bytes = Buffer.alloc(want);
  let got = 0;
  while (got < want) {
    const { bytesRead } = await handle.read(bytes, got, want - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return bytes.subarray(0, got);
}

export function headOf(bytes: Uint8Array): Head {
  return { len: bytes.length, hash: hash(bytes) };
}

/** Whether the file whose first bytes are `bytes` starts with the head recorded earlier. */
export function headMatches(known: Head, bytes: Uint8Array): boolean {
  return bytes.length >= known.len && hash(bytes.subarray(0, known.len)) === known.hash;
}

/**
 * The bytes a file id is derived from: the first line with its `\n`, or the first `maxBytes` when the
 * first line is longer. Undefined while neither is there yet (then no line of the file can be emitted
 * either, except by the partial-line timeout, which passes `force`).
 */
export function namingBytes(head: Uint8Array, maxBytes: number, force = false): Uint8Array | undefined {
  const nl = head.indexOf(10);
  if (nl >= 0 && nl < maxBytes) return head.subarray(0, nl + 1);
  if (head.length >= maxBytes) return head.subarray(0, maxBytes);
  return force ? head : undefined;
}

/** `<dev>-<ino>-<hash of birth time and first line>`, all lowercase base 36 / hex. */
export function fileIdBase(identity: FileIdentity, naming: Uint8Array): string {
  const digest = createHash('sha256').update(`${identity.birthtimeMs}\n`).update(naming).digest('hex');
  return `${identity.dev.toString(36)}-${identity.ino.toString(36)}-${digest.slice(0, 16)}`;
}

/**
 * The id for a new generation named `base`: `base` itself unless an id with that base was used before
 * (by the same file before truncation, or by a file that had the same inode and first line), then the
 * next free generation. `usedIds` are the ids known for this device and inode.
 */
export function nextFileId(base: string, usedIds: Iterable<string>): string {
  let highest = -1;
  for (const id of usedIds) {
    const split = splitFileId(id);
    if (split.base === base && split.generation > highest) highest = split.generation;
  }
  return highest < 0 ? base : `${base}.g${highest + 1}`;
}

export function splitFileId(fileId: string): { base: string; generation: number } {
  const at = fileId.lastIndexOf('.g');
  if (at < 0) return { base: fileId, generation: 0 };
  return { base: fileId.slice(0, at), generation: Number(fileId.slice(at + 2)) };
}

function hash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}
