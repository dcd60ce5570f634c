import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../core/log/logger.ts';
import { type LineRecord, lineRecord, type OnLines } from '../lineRecord.ts';
import type { JournalCheckpoint } from './journalCheckpoint.ts';
import { type JournalPosition, mapEntry, positionOf } from './journalEntry.ts';

export interface FollowOptions {
  journalctl: string;
  directory: string | undefined;
  matches: readonly string[];
  startAt: 'beginning' | 'end';
  checkpoint: JournalCheckpoint;
  maxMessageBytes: number;
  onLines: OnLines;
  log: Logger;
}

export interface JournalFollower {
  /** Rejects when journalctl cannot be run at all; resolves once stopped. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
  ack(fileId: string, offset: number, next: number): void;
}

/** An entry handed on and not yet acknowledged, in the order journalctl gave it. */
interface InFlight extends JournalPosition {
  acked: boolean;
}

/** Entries handed on at once. */
const BATCH = 500;

/**
 * Follows the journal with `journalctl -o json --follow`, from the checkpointed cursor
 * (`--after-cursor`) or, the first time, from `start_at`. Each entry becomes one line record whose
 * position is (seqnum id, seqnum) from its cursor, so its event id is the same whenever it is read.
 * The checkpoint moves to an entry's cursor once it and every entry before it are acknowledged (or in
 * the spool): entries acknowledge in any order across lanes, so they are tracked in order here. If
 * journalctl exits, it is started again (backing off up to 30 s) after the last entry handed on.
 */
export function followJournal(options: FollowOptions): JournalFollower {
  const { log, checkpoint } = options;
  const inflight: InFlight[] = [];
  let head = 0;
  let running = true;
  let child: ChildProcess | undefined;
  let lastDelivered = checkpoint.current;

  const run = async (): Promise<void> => {
    let failures = 0;
    while (running) {
      const started = performance.now();
      const outcome = await followOnce(lastDelivered === undefined);
      if (!running) return;
      // Ran a while before it ended: a fresh failure, not a repeated one.
      if (performance.now() - started > 60_000) failures = 0;
      const wait = Math.min(30_000, 1000 * 2 ** failures++);
      log.warn('journalctl ended; starting it again', { ...outcome, retry_in_ms: wait });
      await sleep(wait, undefined, { ref: false });
    }
  };

  const followOnce = async (fresh: boolean): Promise<{ code: number | null; stderr: string }> => {
    const args = ['-o', 'json', '--follow', '--no-pager', '--all'];
    if (options.directory !== undefined) args.push('--directory', options.directory);
    if (lastDelivered !== undefined) args.push('--after-cursor', lastDelivered);
    else if (fresh && options.startAt === 'beginning') args.push('--no-tail');
    else args.push('--lines=0');
    args.push(...options.matches);
    const proc = spawn(options.journalctl, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (text: string) => {
      stderr = (stderr + text).slice(-2000);
    });
    const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
      proc.once('error', (error) => resolve({ code: null, error }));
      proc.once('exit', (code) => resolve({ code }));
    });
    const stdout = proc.stdout;
    if (stdout === null) throw new Error('journalctl has no stdout');
    stdout.setEncoding('utf8');
    let rest = '';
    // for-await pulls the next chunk only after onLines settled: backpressure reaches journalctl's pipe.
    for await (const chunk of stdout as AsyncIterable<string>) {
      const text = rest + chunk;
      const end = text.lastIndexOf('\n');
      if (end < 0) {
        rest = text;
        continue;
      }
      rest = text.slice(end + 1);
      await deliver(text.slice(0, end).split('\n'));
    }
    const { code, error } = await exited;
    child = undefined;
    if (error !== undefined) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? `journalctl not found (journalctl: ${options.journalctl}); install systemd's journalctl or set the path`
          : `journalctl could not be started: ${error.message}`,
      );
    }
    return { code, stderr: stderr.trim() };
  };

  const deliver = async (lines: string[]): Promise<void> => {
    let batch: LineRecord[] = [];
    for (const line of lines) {
      if (line === '') continue;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        log.warn('journalctl wrote a line that is not JSON; skipped', { line: line.slice(0, 200) });
        continue;
      }
      const position = positionOf(entry.__CURSOR);
      if (position === undefined) {
        log.warn('journal entry without a usable cursor; skipped', {
          cursor: String(entry.__CURSOR).slice(0, 200),
        });
        continue;
      }
      const mapped = mapEntry(entry, options.maxMessageBytes);
      const truncated =
        mapped.originalBytes === undefined ? undefined : { originalBytes: mapped.originalBytes };
      batch.push(
        lineRecord(
          'journald',
          position.fileId,
          position.seqnum,
          position.seqnum + 1,
          mapped.json,
          truncated,
          false,
        ),
      );
      inflight.push({ ...position, acked: false });
      lastDelivered = position.cursor;
      if (batch.length >= BATCH) {
        await options.onLines(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await options.onLines(batch);
  };

  const done = run();
  done.catch(() => undefined); // observed by the runner through `done`
  return {
    done,
    async stop() {
      running = false;
      child?.kill('SIGTERM');
      await done.catch(() => undefined); // a failure was reported through `done` already
    },
    ack(fileId, offset, next) {
      for (let i = head; i < inflight.length; i++) {
        const entry = inflight[i];
        if (entry.fileId === fileId && entry.seqnum >= offset && entry.seqnum < next) entry.acked = true;
      }
      let moved: string | undefined;
      while (head < inflight.length && inflight[head].acked) moved = inflight[head++].cursor;
      if (moved !== undefined) checkpoint.set(moved);
      if (head > 1024 && head * 2 > inflight.length) {
        inflight.splice(0, head);
        head = 0;
      }
    },
  };
}
