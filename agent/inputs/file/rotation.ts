import type { CheckpointEntry } from '../../checkpoint/checkpointStore.ts';
import { type FileIdentity, headMatches } from './fingerprint.ts';

/**
 * Every decision about what a file on disk is, relative to what we read before. Pure functions, so each
 * rotation case is tested directly, apart from the timing of any real rotation.
 *
 * | on disk                                            | decision                                              |
 * | -------------------------------------------------- | ----------------------------------------------------- |
 * | known dev+inode, same birth, head matches, size ≥ offset | the same file: resume at its offset             |
 * | known dev+inode under another name (app.log.1)     | the same file (rename rotation): resume there, so lines written just before the rotation are read |
 * | known dev+inode, size < offset                     | truncated (copytruncate, `> file`): read it again from 0 under a new id |
 * | known dev+inode, head no longer matches            | rewritten in place, or a new file on a reused inode: from 0, new id |
 * | known dev+inode, another birth time                | a new file on a reused inode: a new file             |
 * | unknown dev+inode                                  | a new file: `start_at` at the first scan, else from 0 |
 * | open file whose name now points elsewhere or nowhere | rotated away or deleted: read on through the open descriptor to its end, close it after `rotate_wait` without growth |
 */

export type StartDecision =
  /** The file we know as `fileId`: continue at `offset`. */
  | { kind: 'resume'; fileId: string; offset: number }
  /**
   * A file we knew as `replaces`, whose bytes are no longer the ones we read: truncated, rewritten, or
   * (where birth times are unknown) possibly a new file on a reused inode. Read from 0 under a new id.
   */
  | { kind: 'restart'; replaces: string; reason: 'truncated' | 'rewritten' }
  /** Never seen. */
  | { kind: 'new' };

export interface FileOnDisk extends FileIdentity {
  size: number;
}

/**
 * Matches a file just opened against the generations remembered for its device and inode (`known`:
 * checkpoint entries plus files read earlier in this run). `head` holds its first bytes.
 */
export function decideStart(
  file: FileOnDisk,
  head: Uint8Array,
  known: Iterable<[string, CheckpointEntry]>,
): StartDecision {
  const candidates = [...known]
    .filter(([, e]) => e.dev === file.dev && e.ino === file.ino && e.retired !== true)
    .sort((a, b) => b[1].updatedAt - a[1].updatedAt);
  for (const [fileId, entry] of candidates) {
    if (differentBirth(entry.birthtimeMs, file.birthtimeMs)) continue; // the inode's previous owner
    if (!headMatches(entry.head, head)) return { kind: 'restart', replaces: fileId, reason: 'rewritten' };
    if (entry.offset > file.size) return { kind: 'restart', replaces: fileId, reason: 'truncated' };
    return { kind: 'resume', fileId, offset: entry.offset };
  }
  return { kind: 'new' };
}

function differentBirth(a: number, b: number): boolean {
  return a !== 0 && b !== 0 && a !== b;
}

/**
 * A file being read shrank below what we read: it was truncated in place (copytruncate, `: > file`).
 * Whatever was appended between our last read and the truncation is gone; that window is inherent to
 * copytruncate and is why rename rotation is preferable.
 */
export function wasTruncated(readOffset: number, size: number): boolean {
  return size < readOffset;
}

export interface OpenFileState {
  /** When the file stopped being reachable under a matched name (renamed away, deleted), if it did. */
  orphanedSince: number | undefined;
  /** When bytes were last read from it. */
  lastGrowthAt: number;
}

/**
 * Whether a rotated-away or deleted file is done: it is at its end and has not grown for `rotateWaitMs`
 * since it was orphaned. Until then the writer may still hold it open and append (it has not reopened
 * its log yet), and those lines must be read too.
 */
export function rotatedFileDone(
  state: OpenFileState,
  atEnd: boolean,
  now: number,
  rotateWaitMs: number,
): boolean {
  if (state.orphanedSince === undefined || !atEnd) return false;
  return now - Math.max(state.orphanedSince, state.lastGrowthAt) >= rotateWaitMs;
}

/** Whether the open line has waited long enough for its newline to be emitted without it. */
export function partialLineDue(lastGrowthAt: number, now: number, timeoutMs: number): boolean {
  return now - lastGrowthAt >= timeoutMs;
}
