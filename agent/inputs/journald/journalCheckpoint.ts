import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../../core/fs/atomicFile.ts';
import type { Logger } from '../../../core/log/logger.ts';

/**
 * The journald input's checkpoint: the cursor of the last entry before which everything was
 * acknowledged (or spooled), the journal's equivalent of a file offset. One small JSON file, written
 * atomically at most every `debounceMs` and once more at shutdown.
 */
export class JournalCheckpoint {
  readonly path: string;
  private cursor: string | undefined;
  private written: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly debounceMs: number;
  private readonly log: Logger;

  private constructor(path: string, cursor: string | undefined, debounceMs: number, log: Logger) {
    this.path = path;
    this.cursor = cursor;
    this.written = cursor;
    this.debounceMs = debounceMs;
    this.log = log;
  }

  /** Reads the checkpoint; a missing one is a first start, a damaged one is reported and ignored. */
  static async open(path: string, log: Logger, debounceMs = 1000): Promise<JournalCheckpoint> {
    let cursor: string | undefined;
    try {
      const doc = JSON.parse(await readFile(path, 'utf8')) as { cursor?: unknown };
      if (typeof doc.cursor === 'string' && doc.cursor !== '') cursor = doc.cursor;
      else log.warn('journald checkpoint has no cursor; starting by start_at', { path });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        log.warn('journald checkpoint unreadable; starting by start_at', { path, error: String(error) });
    }
    return new JournalCheckpoint(path, cursor, debounceMs, log);
  }

  get current(): string | undefined {
    return this.cursor;
  }

  set(cursor: string): void {
    this.cursor = cursor;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes the cursor now if it moved since the last write. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(async () => {
      const cursor = this.cursor;
      if (cursor === undefined || cursor === this.written) return;
      try {
        await writeFileAtomic(this.path, `${JSON.stringify({ cursor })}\n`);
        this.written = cursor;
      } catch (error) {
        // The next write tries again; until then a restart resumes a little earlier (duplicates, same ids).
        this.log.error('journald checkpoint could not be written', { path: this.path, error: String(error) });
      }
    });
    return this.writing;
  }
}
