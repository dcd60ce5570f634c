import type { Logger } from '../../../core/log/logger.ts';
import { splitCri, splitDocker } from '../../../core/parse/container.ts';
import { type LineRecord, lineRecord, type OnLines } from '../lineRecord.ts';

export type ContainerFormat = 'cri' | 'docker';

export interface JoinOptions {
  /** A joined message is cut at this many bytes (the rest of its parts are counted, not kept). */
  maxLineBytes: number;
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
}

/**
 * Joins the partial lines of Kubernetes container logs before they are parsed: the runtime cuts a long
 * message into several lines (CRI: tag `P` on all but the last, `F`; Docker json-file: `log` without
 * its trailing `\n` on all but the last, at 16 KiB). The joined message is one line record spanning
 * the bytes of all its parts (`offset` of the first, `next` of the last), so its event id and its
 * acknowledgement cover them all, and it is written back in its format (one CRI `F` line, one Docker
 * JSON line) for the `cri`/`docker` parser. Parts are joined per file and stream: stdout and stderr
 * share a file and interleave. A message whose last part has not come stays held (and unacknowledged:
 * the checkpoint stays before its first part) until it does or the input stops.
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
  return {
    onLines(lines) {
      const out: LineRecord[] = [];
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
        };
        if (held === undefined) pending.set(key, into);
        into.originalBytes += Buffer.byteLength(part.content);
        if (into.bytes < options.maxLineBytes) {
          into.parts.push(part.content);
          into.bytes += Buffer.byteLength(part.content);
        }
        if (!part.last) continue;
        pending.delete(key);
        const text = joined(into.time, into.stream, into.parts.join(''));
        const truncated =
          into.originalBytes > options.maxLineBytes ? { originalBytes: into.originalBytes } : undefined;
        out.push(lineRecord(line.source, line.fileId, into.first.offset, line.next, text, truncated, false));
      }
      return out.length === 0 ? Promise.resolve() : onLines(out);
    },
    stop() {
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
