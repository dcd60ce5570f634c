import type { Logger } from '../../../core/log/logger.ts';
import { splitCri, splitDocker } from '../../../core/parse/container.ts';
import { type LineRecord, lineRecord, type OnLines } from '../lineRecord.ts';

export type ContainerFormat = 'cri' | 'docker';

export interface JoinOptions {
  /** A joined message is cut at this many bytes (the rest of its parts are counted, not kept). */
  maxLineBytes: number;
  /**
   * A message whose last part has not come for this long is sent as it is, flagged partial (the
   * input's `partial_line_timeout`, as for a file's unfinished last line).
   */
  partialTimeoutMs: number;
  log: Logger;
}

/** The parts of one message seen so far, per file and stream. */
interface Pending {
  first: LineRecord;
  /** The first part's time and stream: the joined message is stamped with them. */
  time: string;
  stream: string;
  parts: string[];
  bytes: number;
  originalBytes: number;
  /** Where the latest part ends, and when it came (Date.now()). */
  next: number;
  at: number;
}

/**
 * Joins the partial lines of Kubernetes container logs before they are parsed: the runtime cuts a long
 * message into several lines (CRI: tag `P` on all but the last, `F`; Docker json-file: `log` without
 * its trailing `\n` on all but the last, at 16 KiB). The joined message is one line record spanning
 * the bytes of all its parts (`offset` of the first, `next` of the last), so its event id and its
 * acknowledgement cover them all, and it is written back in its format (one CRI `F` line, one Docker
 * JSON line) for the `cri`/`docker` parser. Parts are joined per file and stream: stdout and stderr
 * share a file and interleave. A message whose last part has not come stays held (and unacknowledged:
 * the checkpoint stays before its first part) until it does, for at most `partialTimeoutMs` after its
 * latest part: a runtime killed between parts never writes the last one, and a held message would keep
 * the checkpoint behind it for good. It is then sent as it is, flagged partial; parts after that start
 * a new message. Held content is capped at max_line_bytes per file and stream.
 */
export function joinContainerLines(
  format: ContainerFormat,
  onLines: OnLines,
  options: JoinOptions,
): { onLines: OnLines; stop(): void } {
  const pending = new Map<string, Pending>();
  const split = format === 'cri' ? splitCri : splitDocker;
  const joined = format === 'cri' ? criLine : dockerLine;
  const quick = format === 'docker';
  // A call of onLines in progress (the reader's or the timer's): the timer sends between calls only,
  // and a reader's call waits for the timer's, so onLines gets one call at a time.
  let busy = 0;
  let timerSend: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const overdue = (now: number, out: LineRecord[]) => {
    for (const [key, held] of pending) {
      if (now - held.at < options.partialTimeoutMs) continue;
      pending.delete(key);
      out.push(joinedRecord(held, held.next, true));
    }
  };
  const joinedRecord = (held: Pending, next: number, partial: boolean) => {
    const text = joined(held.time, held.stream, held.parts.join(''));
    const truncated =
      held.originalBytes > options.maxLineBytes ? { originalBytes: held.originalBytes } : undefined;
    const first = held.first;
    return lineRecord(first.source, first.fileId, first.offset, next, text, truncated, partial);
  };
  const arm = () => {
    if (timer !== undefined || pending.size === 0) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const held of pending.values()) oldest = Math.min(oldest, held.at);
    const wait = Math.max(0, oldest + options.partialTimeoutMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      if (busy > 0) return; // the call in progress re-arms when it settles
      const out: LineRecord[] = [];
      overdue(Date.now(), out);
      if (out.length === 0) {
        arm();
        return;
      }
      busy++;
      timerSend = onLines(out)
        .catch((error: unknown) =>
          options.log.warn('could not send a container log message held past its timeout', {
            error: (error as Error).message,
          }),
        )
        .finally(() => {
          timerSend = undefined;
          settled();
        });
    }, wait);
    // Holding a part must not keep a stopping process alive.
    timer.unref?.();
  };
  const settled = () => {
    busy--;
    arm();
  };

  return {
    onLines(lines) {
      const out: LineRecord[] = [];
      const now = Date.now();
      for (const line of lines) {
        // Docker's common case, a whole message and nothing held, without parsing the JSON twice.
        if (quick && pending.size === 0 && line.text.includes('\\n","stream":"')) {
          out.push(line);
          continue;
        }
        const part = line.partial || line.truncated !== undefined ? undefined : split(line.text);
        // Not in the format (or cut by max_line_bytes): passed on for the parser to flag.
        if (part === undefined) {
          out.push(line);
          continue;
        }
        const key = `${line.fileId}\u0000${part.stream}`;
        const held = pending.get(key);
        if (part.last && held === undefined) {
          out.push(line);
          continue;
        }
        const into = held ?? {
          first: line,
          time: part.time,
          stream: part.stream,
          parts: [],
          bytes: 0,
          originalBytes: 0,
          next: line.next,
          at: now,
        };
        if (held === undefined) pending.set(key, into);
        into.originalBytes += Buffer.byteLength(part.content);
        if (into.bytes < options.maxLineBytes) {
          into.parts.push(part.content);
          into.bytes += Buffer.byteLength(part.content);
        }
        into.next = line.next;
        into.at = now;
        if (!part.last) continue;
        pending.delete(key);
        out.push(joinedRecord(into, line.next, false));
      }
      overdue(now, out);
      if (out.length === 0) {
        arm();
        return Promise.resolve();
      }
      busy++;
      const send = () => onLines(out).finally(settled);
      return timerSend === undefined ? send() : timerSend.then(send);
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (pending.size > 0)
        options.log.debug('container log messages without their last part at stop; read again at start', {
          messages: pending.size,
        });
      pending.clear();
    },
  };
}

function criLine(time: string, stream: string, content: string): string {
  return `${time} ${stream} F ${content}`;
}

function dockerLine(time: string, stream: string, content: string): string {
  return JSON.stringify({ log: content, stream, time });
}
