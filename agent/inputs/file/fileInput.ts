import { Buffer } from 'node:buffer';
import { dirname } from 'node:path';
import type { LineRecord } from '../lineRecord.ts';
import { compileDiscovery } from './discover.ts';
import type { FileInputContext, FileInputStats } from './fileInputContext.ts';
import { type FileInputOptions, resolveFileInputOptions } from './fileInputOptions.ts';
import { readTurn } from './readTurn.ts';
import { scan } from './scan.ts';
import { type DirectoryWatch, watchDirectories } from './watch.ts';

export interface FileInput {
  /** Runs the first scan, then keeps reading in the background until stop(). */
  start(): Promise<void>;
  /**
   * Stops reading and closes the files. Lines handed out but not acknowledged are read again after a
   * restart (their offsets are not checkpointed). Acks may still arrive afterwards and are recorded;
   * close the checkpoint store after the last one.
   */
  stop(): Promise<void>;
  /** Settles when the input stops; rejects if it stopped because the consumer (onLines) failed. */
  readonly done: Promise<void>;
  /** The gateway acknowledged bytes [offset, next) of `fileId` (one line, or a run of lines). */
  ack(fileId: string, offset: number, next: number): void;
  /** Acknowledges these lines (runs of consecutive lines are merged into one range each). */
  ackLines(lines: readonly LineRecord[]): void;
  stats(): FileInputStats;
}

/**
 * The `file` input: follows files matching glob patterns through rotation, truncation and deletion,
 * and hands their lines to `onLines` in order, per file. One async loop: scan every scan_interval,
 * read every open file in turns, sleep poll_interval when all are at their end. Polling with fstat is
 * the portable baseline (it behaves the same under Node and Deno and on every file system). With
 * `watch`, a file created, deleted or renamed in a watched directory (the patterns' fixed roots and the
 * directories of files found) makes the next turn a scan at once: a file that holds a matching name
 * for less than scan_interval (two quick rotations) is still found and read.
 */
export function createFileInput(options: FileInputOptions): FileInput {
  const resolved = resolveFileInputOptions(options);
  const ctx: FileInputContext = {
    options: resolved,
    discovery: compileDiscovery(resolved.paths, resolved.exclude, resolved.cwd),
    logger: resolved.logger,
    readers: new Map(),
    trackers: new Map(),
    readUpTo: new Map(),
    closedAt: new Map(),
    scratch: Buffer.allocUnsafe(resolved.readChunkBytes),
    firstScanDone: false,
    startupFiles: new Set(),
    running: false,
    reported: new Set(),
    stats: {
      openFiles: 0,
      waitingFiles: 0,
      bytesRead: 0,
      lines: 0,
      truncatedLines: 0,
      partialLines: 0,
      restarts: 0,
    },
  };
  const sleeper = new Sleeper();
  let scanRequested = false;
  const watcher: DirectoryWatch | undefined = resolved.watch
    ? watchDirectories(() => {
        scanRequested = true;
        sleeper.wake();
      }, ctx.logger)
    : undefined;
  const scanNow = async (): Promise<void> => {
    scanRequested = false;
    await scanAndSweep(ctx);
    watcher?.update(watchedDirectories(ctx));
  };
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined); // observed through `done` by whoever cares; not an unhandled rejection
  let loop: Promise<void> | undefined;

  const runLoop = async (): Promise<void> => {
    let nextScan = resolved.now() + resolved.scanIntervalMs;
    while (ctx.running) {
      if (scanRequested || resolved.now() >= nextScan) {
        await scanNow();
        nextScan = resolved.now() + resolved.scanIntervalMs;
      }
      const busy = await readTurn(ctx);
      if (!busy && ctx.running && !scanRequested) {
        await sleeper.sleep(Math.max(0, Math.min(resolved.pollIntervalMs, nextScan - resolved.now())));
      }
    }
  };

  return {
    done,
    async start() {
      if (ctx.running || loop !== undefined) throw new Error('file input already started');
      ctx.running = true;
      try {
        await scanNow();
      } catch (error) {
        ctx.running = false;
        watcher?.close();
        settle?.reject(error);
        throw error;
      }
      loop = runLoop().then(
        () => settle?.resolve(),
        (error: unknown) => {
          ctx.running = false;
          settle?.reject(error);
        },
      );
    },
    async stop() {
      ctx.running = false;
      watcher?.close();
      sleeper.wake();
      await loop;
      for (const reader of [...ctx.readers.values()]) {
        ctx.readers.delete(reader.key);
        await reader.handle.close().catch(() => undefined); // shutting down: nothing to do about it
      }
      settle?.resolve();
      await resolved.checkpoints.flush();
    },
    ack(fileId, offset, next) {
      acknowledge(ctx, fileId, offset, next);
    },
    ackLines(lines) {
      let i = 0;
      while (i < lines.length) {
        const first = lines[i];
        let next = first.next;
        i++;
        while (i < lines.length && lines[i].fileId === first.fileId && lines[i].offset === next)
          next = lines[i++].next;
        acknowledge(ctx, first.fileId, first.offset, next);
      }
    },
    stats() {
      return { ...ctx.stats, openFiles: ctx.readers.size };
    },
  };
}

/**
 * Moves the file's checkpoint when the acknowledged prefix grows. Only acknowledged bytes ever reach
 * the checkpoint: after a crash, reading resumes at or before the first line the gateway does not have.
 */
function acknowledge(ctx: FileInputContext, fileId: string, offset: number, next: number): void {
  const tracker = ctx.trackers.get(fileId);
  if (tracker === undefined || !tracker.ack(offset, next)) return;
  const store = ctx.options.checkpoints;
  const entry = store.get(fileId);
  if (entry !== undefined)
    store.set(fileId, { ...entry, offset: tracker.committed, updatedAt: ctx.options.now() });
}

async function scanAndSweep(ctx: FileInputContext): Promise<void> {
  await scan(ctx);
  const live = new Set<string>();
  for (const reader of ctx.readers.values()) if (reader.fileId !== undefined) live.add(reader.fileId);
  ctx.options.checkpoints.sweep(live);
  // Trackers and read positions of generations the store forgot are not needed any more.
  for (const fileId of ctx.trackers.keys()) {
    if (ctx.options.checkpoints.get(fileId) === undefined && !live.has(fileId)) ctx.trackers.delete(fileId);
  }
  for (const fileId of ctx.readUpTo.keys()) if (!ctx.trackers.has(fileId)) ctx.readUpTo.delete(fileId);
}

/** The patterns' fixed roots, and the directory of every open file (where rotation renames it). */
function watchedDirectories(ctx: FileInputContext): Set<string> {
  const dirs = new Set<string>();
  for (const glob of ctx.discovery.include) dirs.add(glob.base);
  for (const reader of ctx.readers.values()) dirs.add(dirname(reader.path));
  return dirs;
}

/** A sleep that stop() can cut short. */
class Sleeper {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private resolve: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.wake(), ms);
    });
  }

  wake(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const resolve = this.resolve;
    this.resolve = undefined;
    resolve?.();
  }
}
