import type { Logger } from '../../../core/log/logger.ts';
import type { CheckpointStore } from '../../checkpoint/checkpointStore.ts';
import type { OnLines } from '../lineRecord.ts';
import { FileInputError } from './fileInputError.ts';

/**
 * Options of one `type: file` input. Sizes are bytes and durations milliseconds here; agent.yaml writes
 * them as people do (`1KiB`, `5s`) under the snake_case names given, and the config layer converts.
 */
export interface FileInputOptions {
  /** `paths`: glob patterns of the files to read (`*`, `?`, `[…]`, `**`). */
  paths: string[];
  /** `exclude`: patterns of files to leave alone; without `/` matched on the file name. Default none. */
  exclude?: string[];
  /** `start_at`: where to start in files never seen before that exist at start-up. Default `beginning`. */
  startAt?: 'beginning' | 'end';
  /** `scan_interval`: how often the patterns are expanded again to find new and rotated files. Default 1 s. */
  scanIntervalMs?: number;
  /** `poll_interval`: how often open files are checked for new bytes when all are at their end. Default 250 ms. */
  pollIntervalMs?: number;
  /** `partial_line_timeout`: an unfinished last line is emitted (flagged partial) after this long without growth. Default 5 s. */
  partialLineTimeoutMs?: number;
  /** `max_line_bytes`: longer lines are cut to this many bytes and flagged truncated. Default 1 MiB. */
  maxLineBytes?: number;
  /** `read_chunk_bytes`: bytes read per system call. Default 256 KiB. */
  readChunkBytes?: number;
  /** `max_open_files`: files held open at once; more matches wait for a free slot. Default 1024. */
  maxOpenFiles?: number;
  /** `rotate_wait`: a rotated or deleted file is read until it has not grown for this long. Default 5 s. */
  rotateWaitMs?: number;
  /** `watch`: scan at once when a watched directory changes, besides every scan_interval. Default true. */
  watch?: boolean;
  /** `fingerprint_bytes`: bytes of a file's head in its fingerprint. Default 1 KiB. */
  fingerprintBytes?: number;
  /** Where acknowledged offsets are kept (one store per input). */
  checkpoints: CheckpointStore;
  /** Receives lines; reading waits for the returned promise (backpressure). */
  onLines: OnLines;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => number;
  /** Directory relative patterns are taken from. Default the process's working directory. */
  cwd?: string;
}

export type ResolvedFileInputOptions = Required<Omit<FileInputOptions, 'logger' | 'cwd'>> &
  Pick<FileInputOptions, 'logger' | 'cwd'>;

export const FILE_INPUT_DEFAULTS = {
  exclude: [] as string[],
  startAt: 'beginning' as const,
  scanIntervalMs: 1000,
  pollIntervalMs: 250,
  partialLineTimeoutMs: 5000,
  maxLineBytes: 1024 * 1024,
  readChunkBytes: 256 * 1024,
  maxOpenFiles: 1024,
  rotateWaitMs: 5000,
  fingerprintBytes: 1024,
  watch: true,
};

export function resolveFileInputOptions(options: FileInputOptions): ResolvedFileInputOptions {
  const resolved = {
    ...FILE_INPUT_DEFAULTS,
    now: Date.now,
    ...withoutUndefined(options),
  } as ResolvedFileInputOptions;
  if (!Array.isArray(resolved.paths)) invalid('paths', 'a list of patterns is required');
  if (resolved.paths.length === 0) invalid('paths', 'at least one pattern is required');
  if (resolved.startAt !== 'beginning' && resolved.startAt !== 'end')
    invalid('start_at', 'use beginning or end');
  for (const key of ['scanIntervalMs', 'pollIntervalMs', 'partialLineTimeoutMs', 'rotateWaitMs'] as const) {
    if (!(resolved[key] >= 0)) invalid(key, 'must be a duration of 0 or more');
  }
  for (const key of ['maxLineBytes', 'readChunkBytes', 'maxOpenFiles', 'fingerprintBytes'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1)
      invalid(key, 'must be a positive whole number');
  }
  return resolved;
}

function invalid(key: string, reason: string): never {
  throw new FileInputError('option_invalid', key, reason);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
