import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { waitFor } from '../../../test/helpers/waitFor.ts';
import type { LineRecord } from '../lineRecord.ts';
import { startStdinInput } from './stdinInput.ts';

describe('stdin input', () => {
  it('turns piped chunks into lines with byte offsets since the start, joining split lines', async () => {
    const lines: LineRecord[] = [];
    const input = startStdinInput({
      stream: Readable.from([Buffer.from('hello wo'), Buffer.from('rld\nzwei ü\n'), Buffer.from('last')]),
      onLines: async (batch) => {
        lines.push(...batch);
      },
    });
    await input.done;
    assert.deepEqual(
      lines.map((l) => [l.source, l.offset, l.next, l.text, l.partial]),
      [
        ['stdin', 0, 12, 'hello world', false],
        ['stdin', 12, 20, 'zwei ü', false],
        ['stdin', 20, 24, 'last', true],
      ],
    );
    assert.ok(lines.every((l) => l.fileId === input.fileId));
  });

  it('gives each run its own file id, so offsets restarting at 0 do not repeat event ids', async () => {
    const run = () =>
      startStdinInput({ stream: Readable.from([Buffer.from('x\n')]), onLines: async () => undefined });
    const [a, b] = [run(), run()];
    await Promise.all([a.done, b.done]);
    assert.notEqual(a.fileId, b.fileId);
    assert.match(a.fileId, /^stdin-[0-9a-f-]{36}$/);
  });

  it('truncates and flags lines longer than max_line_bytes', async () => {
    const lines: LineRecord[] = [];
    const input = startStdinInput({
      stream: Readable.from([Buffer.from(`${'y'.repeat(300)}\nok\n`)]),
      maxLineBytes: 100,
      onLines: async (batch) => {
        lines.push(...batch);
      },
    });
    await input.done;
    assert.deepEqual(
      lines.map((l) => [l.text.length, l.truncated?.originalBytes]),
      [
        [100, 300],
        [2, undefined],
      ],
    );
  });

  it('emits a partial line after the timeout while the pipe stays open', async () => {
    const stream = new PassThrough();
    const lines: LineRecord[] = [];
    let arrived: () => void = () => undefined;
    const partialArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const input = startStdinInput({
      stream,
      partialLineTimeoutMs: 20,
      onLines: async (batch) => {
        lines.push(...batch);
        if (batch.some((l) => l.partial)) arrived();
      },
    });
    stream.write('prompt> ');
    await partialArrived;
    stream.end('answer\n');
    await input.done;
    assert.deepEqual(
      lines.map((l) => [l.text, l.offset, l.next, l.partial]),
      [
        ['prompt> ', 0, 8, true],
        ['answer', 8, 15, false],
      ],
    );
  });

  it('does not pull more from the pipe while the consumer holds a batch', async () => {
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 100; i++) {
          pulled++;
          yield Buffer.from(`chunk ${i}\n`);
        }
      })(),
      { highWaterMark: 1 },
    );
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let batches = 0;
    const input = startStdinInput({
      stream: source,
      onLines: async () => {
        if (++batches === 1) await gate;
      },
    });
    await waitFor('the first batch', () => batches > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(pulled < 10, `pulled ${pulled} chunks while the consumer was blocked`);
    release();
    await input.done;
    assert.equal(batches, 100);
  });

  it('rejects done when the consumer fails', async () => {
    const input = startStdinInput({
      stream: Readable.from([Buffer.from('a\n')]),
      onLines: async () => {
        throw new Error('spool full and broken');
      },
    });
    await assert.rejects(input.done, /spool full and broken/);
  });
});
