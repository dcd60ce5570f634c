import { type FSWatcher, watch } from 'node:fs';
import type { Logger } from '../../../core/log/logger.ts';

/**
 * Directory watching (inotify on Linux, through node:fs `watch`, which Deno provides too), kept in this
 * one file as the only runtime-specific part of discovery. It only says *that* a directory changed:
 * the scan decides what it means, so a missed or doubled event costs a scan, never a line. The poll
 * (`scan_interval`) stays as the fallback for what watching cannot see (network file systems, watch
 * limits, directories created later).
 */
export interface DirectoryWatch {
  /** Watches exactly these directories from now on (those it cannot watch are left to the poll). */
  update(dirs: ReadonlySet<string>): void;
  close(): void;
}

/**
 * `onChange` runs when an entry of a watched directory is created, deleted or renamed (`rename`
 * events). Writes to files (`change` events) are ignored: the reader follows those itself, and a busy
 * log would otherwise trigger a scan per write.
 */
export function watchDirectories(onChange: () => void, logger: Logger | undefined): DirectoryWatch {
  const watchers = new Map<string, FSWatcher>();
  let warned = false;
  const unwatched = (dir: string, error: unknown): void => {
    const code = (error as NodeJS.ErrnoException).code;
    // Not there (yet): the poll finds it, and the next scan watches it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    if (!warned) {
      warned = true;
      logger?.warn('cannot watch a directory; changes there are found by polling (scan_interval)', {
        dir,
        error: String(error),
        hint: code === 'ENOSPC' ? 'raise fs.inotify.max_user_watches' : undefined,
      });
    }
  };
  return {
    update(dirs) {
      for (const [dir, watcher] of watchers) {
        if (!dirs.has(dir)) {
          watcher.close();
          watchers.delete(dir);
        }
      }
      for (const dir of dirs) {
        if (watchers.has(dir)) continue;
        try {
          // Not persistent: watching alone must not keep the agent alive after its inputs stopped.
          const watcher = watch(dir, { persistent: false }, (event) => {
            if (event === 'rename') onChange();
          });
          watcher.on('error', (error) => {
            // The directory went away, or the watch broke: drop it; the poll and the next scan carry on.
            watcher.close();
            if (watchers.get(dir) === watcher) watchers.delete(dir);
            unwatched(dir, error);
            onChange();
          });
          watchers.set(dir, watcher);
        } catch (error) {
          unwatched(dir, error);
        }
      }
    },
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
