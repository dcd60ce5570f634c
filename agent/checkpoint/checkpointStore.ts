import { readFile, rename, unlink } from 'node:fs/promises';
import { setTimeout } from 'node:timers';
import { writeFileAtomic } from '../../core/fs/atomicFile.ts';
import type { Logger } from '../../core/log/logger.ts';
import { CheckpointError } from './checkpointError.ts';

/** What the agent remembers about one file generation (see agent/inputs/file/fingerprint.ts). */
export interface CheckpointEntry {
  /** The path it was last seen under (informational: files are matched by identity, not by path). */
  path: string;
  dev: number;
  ino: number;
  /** Creation time from statx; 0 where the file system does not report it. */
  birthtimeMs: number;
  /** Length and hash of the file's first bytes when last checked: the content half of its fingerprint. */
  head: { len: number; hash: string };
  /** Every byte before this offset was acknowledged by the gateway: reading resumes here. */
  offset: number;
  /** Milliseconds since the epoch of the last change or sighting; drives the TTL. */
  updatedAt: number;
  /**
   * The generation is over: the file was deleted and read to its end, or truncated and restarted under
   * a new id. Kept (until the TTL) only so a reused inode or a rewritten file gets a fresh id instead of
   * reusing this one and colliding with event ids already sent. Never resumed.
   */
  retired?: boolean;
}

export interface CheckpointStoreOptions {
  /** The checkpoint file, e.g. `<state_dir>/checkpoints/<input>.json`. Its directory must exist. */
  path: string;
  /** Minimum time between two writes; changes in between are coalesced. Default 200 ms. */
  debounceMs?: number;
  /** Entries of files not seen for this long are forgotten. Default 7 days. */
  ttlMs?: number;
  logger?: Logger;
  now?: () => number;
}

/** How the store started: with no file, from a valid file, or from a corrupt one set aside. */
export type CheckpointOrigin = 'fresh' | 'loaded' | 'corrupt';

const VERSION = 1;
const DAY_MS = 86_400_000;

/**
 * The checkpoint file of one input: `{ version, files: { fileId → entry } }` as JSON, held in memory and
 * written whole, atomically (write, fsync, rename, fsync dir), at most every `debounceMs` and on close.
 * Offsets only ever come from acknowledged ranges (ContiguousAcks), so whatever a crash leaves on disk
 * points at or before the first line the gateway has not acknowledged: at-least-once, never a gap.
 */
export class CheckpointStore {
  readonly path: string;
  readonly origin: CheckpointOrigin;
  private readonly files: Map<string, CheckpointEntry>;
  private readonly debounceMs: number;
  private readonly ttlMs: number;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  /** Consecutive failed background writes: the retry waits longer each time (up to 10 s). */
  private failures = 0;

  private constructor(
    options: CheckpointStoreOptions,
    files: Map<string, CheckpointEntry>,
    origin: CheckpointOrigin,
  ) {
    this.path = options.path;
    this.files = files;
    this.origin = origin;
    this.debounceMs = options.debounceMs ?? 200;
    this.ttlMs = options.ttlMs ?? 7 * DAY_MS;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /**
   * Loads the checkpoint file. A file that cannot be read as a checkpoint is renamed aside (kept for a
   * post-mortem) and the store starts empty with origin 'corrupt'; the file input then reads every file
   * from its beginning rather than its end: duplicates are removed downstream by the stable event ids,
   * while skipping to the end would lose lines silently. Expired entries are dropped on load.
   */
  static async open(options: CheckpointStoreOptions): Promise<CheckpointStore> {
    // A crash between writing the temp file and renaming it leaves it behind; it was never the checkpoint.
    await unlink(`${options.path}.tmp`).catch(() => undefined);
    let text: string;
    try {
      text = await readFile(options.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return new CheckpointStore(options, new Map(), 'fresh');
      throw new CheckpointError('checkpoint_unreadable', options.path, String(error));
    }
    let files: Map<string, CheckpointEntry>;
    try {
      files = parseCheckpoint(text);
    } catch (error) {
      const aside = `${options.path}.corrupt-${Date.now()}`;
      await rename(options.path, aside);
      const problem = new CheckpointError('checkpoint_corrupt', options.path, (error as Error).message);
      options.logger?.warn(problem.message, { code: problem.code, moved_to: aside });
      return new CheckpointStore(options, new Map(), 'corrupt');
    }
    const store = new CheckpointStore(options, files, 'loaded');
    store.sweep(new Set());
    return store;
  }

  get size(): number {
    return this.files.size;
  }

  get(fileId: string): CheckpointEntry | undefined {
    return this.files.get(fileId);
  }

  entries(): IterableIterator<[string, CheckpointEntry]> {
    return this.files.entries();
  }

  /** Stores an entry (a fresh object: entries are never mutated in place) and schedules a write. */
  set(fileId: string, entry: CheckpointEntry): void {
    this.files.set(fileId, entry);
    this.markDirty();
  }

  delete(fileId: string): void {
    if (this.files.delete(fileId)) this.markDirty();
  }

  /**
   * Forgets entries not in `live` whose file was not seen for the TTL, and refreshes `updatedAt` of live
   * ones now and then, so a file that stays open but idle for weeks is not forgotten after a restart.
   * Returns how many entries were dropped.
   */
  sweep(live: ReadonlySet<string>): number {
    const now = this.now();
    let dropped = 0;
    for (const [fileId, entry] of this.files) {
      if (live.has(fileId)) {
        if (now - entry.updatedAt > this.ttlMs / 2) this.set(fileId, { ...entry, updatedAt: now });
      } else if (now - entry.updatedAt > this.ttlMs) {
        this.files.delete(fileId);
        dropped++;
      }
    }
    if (dropped > 0) this.markDirty();
    return dropped;
  }

  /** Writes now if anything changed (and waits for a write already under way). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.writing !== undefined) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    const text = serialize(this.files);
    this.writing = writeFileAtomic(this.path, text).finally(() => {
      this.writing = undefined;
    });
    try {
      await this.writing;
      this.failures = 0;
    } catch (error) {
      this.failures++;
      this.dirty = true; // the old checkpoint is still on disk, intact: try again later
      throw new CheckpointError('checkpoint_write_failed', this.path, String(error));
    }
  }

  /** Final write; later changes are ignored (acks arriving during shutdown). */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.timer !== undefined || this.closed) return;
    const delay = Math.min(this.debounceMs * 2 ** this.failures, Math.max(this.debounceMs, 10_000));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => {
        // Not fatal: the previous checkpoint stays valid (it is only older), and the next change retries.
        // Surfacing it as a log line is all a background write can do; close() rethrows.
        this.logger?.error((error as Error).message, { code: (error as CheckpointError).code });
        this.markDirty();
      });
    }, delay);
    // The owner calls close() on shutdown; a pending write must not be what keeps a process alive.
    this.timer.unref();
  }
}

function serialize(files: Map<string, CheckpointEntry>): string {
  return `${JSON.stringify({ version: VERSION, files: Object.fromEntries(files) })}\n`;
}

/** Reads and validates a checkpoint file; throws with a message naming the first problem found. */
export function parseCheckpoint(text: string): Map<string, CheckpointEntry> {
  const doc = JSON.parse(text) as unknown;
  if (!isObject(doc) || doc.version !== VERSION || !isObject(doc.files)) {
    throw new Error(`expected {"version": ${VERSION}, "files": {…}}`);
  }
  const files = new Map<string, CheckpointEntry>();
  for (const [fileId, raw] of Object.entries(doc.files)) {
    if (!isEntry(raw))
      throw new Error(`entry ${JSON.stringify(fileId).slice(0, 80)} is not a valid checkpoint entry`);
    files.set(fileId, raw);
  }
  return files;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isEntry(value: unknown): value is CheckpointEntry {
  return (
    isObject(value) &&
    typeof value.path === 'string' &&
    isCount(value.dev) &&
    isCount(value.ino) &&
    typeof value.birthtimeMs === 'number' &&
    isObject(value.head) &&
    isCount(value.head.len) &&
    typeof value.head.hash === 'string' &&
    isCount(value.offset) &&
    typeof value.updatedAt === 'number' &&
    (value.retired === undefined || typeof value.retired === 'boolean')
  );
}
