import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { waitFor } from '../../../test/helpers/waitFor.ts';
import type { LineRecord } from '../lineRecord.ts';
import { makeTempDir, notExactlyOnce, numbered, startInput } from './fileInput.testkit.ts';

describe('file input: reading', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  it('reads lines with their byte ranges and one stable file id', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, 'one\ntwo\nthree\n');
    const run = await startInput(tmp.state, { paths: [join(tmp.logs, '*.log')] });
    await waitFor('3 lines', () => run.lines.length === 3);
    await run.stop();
    assert.deepEqual(
      run.lines.map((l) => [l.source, l.offset, l.next, l.text, l.partial, l.truncated]),
      [
        [path, 0, 4, 'one', false, undefined],
        [path, 4, 8, 'two', false, undefined],
        [path, 8, 14, 'three', false, undefined],
      ],
    );
    assert.equal(new Set(run.lines.map((l) => l.fileId)).size, 1);
    assert.match(run.lines[0].fileId, /^[0-9a-z]+-[0-9a-z]+-[0-9a-f]{16}$/);
  });

  it('picks up files created while running and leaves excluded ones alone', async () => {
    const run = await startInput(tmp.state, { paths: [join(tmp.logs, '*.log*')], exclude: ['*.gz'] });
    await writeFile(join(tmp.logs, 'late.log'), 'late 1\nlate 2\n');
    await writeFile(join(tmp.logs, 'old.log.gz'), 'compressed, not for us\n');
    await writeFile(join(tmp.logs, 'later.log.1'), 'later 1\n');
    await waitFor('lines of the new files', () => run.lines.length >= 3);
    // One more file after the excluded one has certainly been seen by several scans.
    await writeFile(join(tmp.logs, 'last.log'), 'last\n');
    await waitFor('the last file', () => run.texts().includes('last'));
    await run.stop();
    assert.deepEqual(run.texts().sort(), ['last', 'late 1', 'late 2', 'later 1']);
  });

  it('joins lines of a file written one byte at a time, each line exactly once', async () => {
    const path = join(tmp.logs, 'slow.log');
    await writeFile(path, '');
    const run = await startInput(tmp.state, { paths: [path] });
    const expected = numbered('byte-by-byte é line', 0, 20);
    const bytes = Buffer.from(`${expected.join('\n')}\n`);
    for (let i = 0; i < bytes.length; i++) {
      await appendFile(path, bytes.subarray(i, i + 1));
      if (i % 97 === 0) await new Promise((resolve) => setTimeout(resolve, 1)); // let the input poll mid-line
    }
    await waitFor('all lines', () => run.lines.length >= expected.length);
    await run.stop();
    assert.deepEqual(notExactlyOnce(run.lines, expected), []);
    assert.deepEqual(run.texts(), expected, 'in order');
    assert.ok(run.lines.every((l) => !l.partial));
  });

  it('holds a partial last line until partial_line_timeout, then emits it flagged partial', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, 'complete\nno newline yet');
    let now = 1_000_000;
    let clockReads = 0;
    const clock = () => {
      clockReads++;
      return now;
    };
    const run = await startInput(tmp.state, { paths: [path], partialLineTimeoutMs: 10_000, now: clock });
    await waitFor('the complete line', () => run.lines.length === 1);
    const before = clockReads;
    await waitFor('many polls of the file', () => clockReads > before + 50);
    assert.deepEqual(run.texts(), ['complete'], 'the partial line is held while the clock stands still');
    now += 10_000;
    await waitFor('the partial line after the timeout', () => run.lines.length === 2);
    await run.stop();
    assert.deepEqual(
      run.lines.map((l) => [l.text, l.offset, l.next, l.partial]),
      [
        ['complete', 0, 9, false],
        ['no newline yet', 9, 23, true],
      ],
    );
  });

  it('completes a line whose end arrives before the timeout, as one line', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, 'first half');
    const run = await startInput(tmp.state, { paths: [path], partialLineTimeoutMs: 60_000 });
    await waitFor('the first half read', () => run.input.stats().bytesRead === 10);
    await appendFile(path, ', second half\n');
    await waitFor('the line', () => run.lines.length === 1);
    await run.stop();
    assert.deepEqual(
      run.lines.map((l) => [l.text, l.partial]),
      [['first half, second half', false]],
    );
  });

  it('cuts a 10 MB line to max_line_bytes, flags it with its length, and reads the next line', async () => {
    const path = join(tmp.logs, 'big.log');
    const huge = 10 * 1024 * 1024;
    await writeFile(
      path,
      Buffer.concat([Buffer.from('before\n'), Buffer.alloc(huge, 0x7a), Buffer.from('\nafter\n')]),
    );
    const run = await startInput(tmp.state, {
      paths: [path],
      maxLineBytes: 64 * 1024,
      readChunkBytes: 64 * 1024,
    });
    await waitFor('3 lines', () => run.lines.length === 3);
    await run.stop();
    const [before, big, after] = run.lines;
    assert.equal(before.text, 'before');
    assert.equal(big.text.length, 64 * 1024);
    assert.deepEqual(big.truncated, { originalBytes: huge });
    assert.deepEqual([big.offset, big.next], [7, 7 + huge + 1]);
    assert.deepEqual([after.text, after.offset], ['after', 7 + huge + 1]);
  });

  it('delivers invalid UTF-8 and NUL bytes as text at exact byte offsets', async () => {
    const path = join(tmp.logs, 'odd.log');
    const content = Buffer.concat([
      Buffer.from('naïve ☃\n'),
      Buffer.from([0x62, 0x61, 0x64, 0xc3, 0x28, 0x0a]), // "bad", a broken 2-byte sequence, "("
      Buffer.from([0x00, 0x01, 0x00, 0x0a]),
      Buffer.from('end\r\n'),
    ]);
    await writeFile(path, content);
    const run = await startInput(tmp.state, { paths: [path] });
    await waitFor('4 lines', () => run.lines.length === 4);
    await run.stop();
    assert.deepEqual(
      run.lines.map((l) => [l.text, l.offset, l.next]),
      [
        ['naïve ☃', 0, 11],
        ['bad\ufffd(', 11, 17],
        ['\u0000\u0001\u0000', 17, 21],
        ['end', 21, 26],
      ],
    );
  });

  it('starts at the end of files found at start-up with start_at: end, on a line boundary', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, 'old 1\nold 2\nhalf');
    const run = await startInput(tmp.state, { paths: [path], startAt: 'end' });
    await appendFile(path, ' written\nnew\n');
    await waitFor('the new lines', () => run.lines.length === 2);
    await run.stop();
    assert.deepEqual(run.texts(), ['half written', 'new']);
  });

  it('stops reading while the consumer has not taken the last batch (backpressure)', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, `${numbered('line', 0, 20_000).join('\n')}\n`);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let batches = 0;
    const run = await startInput(tmp.state, {
      paths: [path],
      readChunkBytes: 4096,
      consumer: async () => {
        batches++;
        await gate;
      },
    });
    await waitFor('the first batch', () => batches === 1);
    const polls = run.input.stats().bytesRead;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(run.input.stats().bytesRead, polls, 'nothing read while the consumer holds a batch');
    assert.equal(polls, 4096);
    release();
    await waitFor('all lines after release', () => run.lines.length === 20_000);
    await run.stop();
  });

  it('reads more files than max_open_files by closing idle ones in turn, resuming each where it was', async () => {
    for (const name of ['a', 'b', 'c'])
      await writeFile(join(tmp.logs, `${name}.log`), `${name} 1\n${name} 2\n`);
    const run = await startInput(tmp.state, {
      paths: [join(tmp.logs, '*.log')],
      maxOpenFiles: 1,
      rotateWaitMs: 10,
    });
    await waitFor('the lines of all three files', () => run.lines.length === 6);
    await appendFile(join(tmp.logs, 'a.log'), 'a 3\n');
    await waitFor('the line appended to a file closed meanwhile', () => run.lines.length === 7);
    assert.ok(run.input.stats().openFiles <= 1);
    await run.stop();
    assert.deepEqual(run.texts().sort(), ['a 1', 'a 2', 'a 3', 'b 1', 'b 2', 'c 1', 'c 2']);
  });

  it('gives every line a distinct id from its file id and offset', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, 'same\nsame\nsame\n');
    const run = await startInput(tmp.state, { paths: [path] });
    await waitFor('3 lines', () => run.lines.length === 3);
    await run.stop();
    const { lineEventId } = await import('../lineRecord.ts');
    const ids = run.lines.map((l: LineRecord) => lineEventId('host-a', l));
    assert.equal(new Set(ids).size, 3);
    assert.notEqual(lineEventId('host-b', run.lines[0]), ids[0], 'scoped by host');
  });
});
