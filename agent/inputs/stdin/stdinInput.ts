import { Buffer } from 'node:buffer';
import process from 'node:process';
import { uuidv7 } from '../../../core/ids/uuidv7.ts';
import type { LineRecord, OnLines } from '../lineRecord.ts';
import { LineSplitter } from '../lineSplitter.ts';

export interface StdinInputOptions {
  /** The stream to read; process.stdin by default (`app | sluice-agent`). */
  stream?: AsyncIterable<Uint8Array | string> & { destroy?: () => void };
  onLines: OnLines;
  /** `max_line_bytes`; default 1 MiB. */
  maxLineBytes?: number;
  /** `partial_line_timeout`; default 5 s. */
  partialLineTimeoutMs?: number;
}

export interface StdinInput {
  /** Settles at the end of the stream, once the last line was accepted by onLines. */
  readonly done: Promise<void>;
  /** The file id of this run's lines: `stdin-<uuidv7>`. */
  readonly fileId: string;
}

/**
 * The `stdin` input: the same line records as the file input, with offsets counted in bytes since
 * the start of the stream. Reading waits for onLines, so a slow consumer holds the pipe and, in time,
 * the writing program: backpressure as far as the pipe buffer.
 *
 * There are no checkpoints: a pipe cannot be read again, so at-least-once holds only while this process
 * lives (and the shipper's disk spool covers the gateway being away). The file id is unique per run,
 * because offsets restart at 0 with every run and `stdin` + offset alone would give the lines of two
 * runs the same event ids (and stores would drop the second run as duplicates).
 */
export function startStdinInput(options: StdinInputOptions): StdinInput {
  const fileId = `stdin-${uuidv7()}`;
  const stream = options.stream ?? process.stdin;
  const timeoutMs = options.partialLineTimeoutMs ?? 5000;
  const lines = new LineSplitter(options.maxLineBytes ?? 1024 * 1024);
  let offset = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Batches go out one at a time, in order, whether the loop or the partial-line timer produced them.
  let delivered: Promise<void> = Promise.resolve();
  let failed: unknown;

  const deliver = (batch: LineRecord[]): Promise<void> => {
    if (batch.length === 0) return delivered;
    delivered = delivered.then(() => options.onLines(batch));
    delivered.catch((error: unknown) => {
      failed ??= error;
    });
    return delivered;
  };

  const flushOpenLine = (): Promise<void> => {
    const batch: LineRecord[] = [];
    lines.flushOpenLine('stdin', fileId, batch);
    return deliver(batch);
  };

  const run = async (): Promise<void> => {
    try {
      for await (const chunk of stream) {
        if (timer !== undefined) clearTimeout(timer);
        const bytes =
          typeof chunk === 'string'
            ? Buffer.from(chunk)
            : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const batch: LineRecord[] = [];
        lines.feed(bytes, offset, 'stdin', fileId, batch);
        offset += bytes.length;
        // Waiting here leaves the rest in the pipe: that is the backpressure.
        await deliver(batch);
        if (failed !== undefined) throw failed;
        if (lines.hasOpenLine) {
          timer = setTimeout(() => {
            timer = undefined;
            void flushOpenLine();
          }, timeoutMs);
        }
      }
      if (timer !== undefined) clearTimeout(timer);
      // End of stream: the last line will never get its newline; emit it (flagged partial), not drop it.
      await flushOpenLine();
      if (failed !== undefined) throw failed;
    } catch (error) {
      if (timer !== undefined) clearTimeout(timer);
      stream.destroy?.();
      throw error;
    }
  };

  return { done: run(), fileId };
}
