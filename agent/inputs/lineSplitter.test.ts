import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import type { LineRecord } from './lineRecord.ts';
import { LineSplitter } from './lineSplitter.ts';

function split(chunks: Buffer[], maxLineBytes = 1024): { lines: LineRecord[]; assembler: LineSplitter } {
  const assembler = new LineSplitter(maxLineBytes);
  const lines: LineRecord[] = [];
  let at = 0;
  for (const chunk of chunks) {
    assembler.feed(chunk, at, 'src', 'f', lines);
    at += chunk.length;
  }
  return { lines, assembler };
}

const view = (lines: LineRecord[]) =>
  lines.map((l) => [l.offset, l.next, l.text, l.truncated?.originalBytes ?? 0, l.partial]);

describe('line assembler', () => {
  it('splits lines and gives each its byte range, newline included in next', () => {
    const { lines, assembler } = split([Buffer.from('alpha\nbeta\n\ngamma')]);
    assert.deepEqual(view(lines), [
      [0, 6, 'alpha', 0, false],
      [6, 11, 'beta', 0, false],
      [11, 12, '', 0, false],
    ]);
    assert.equal(assembler.hasOpenLine, true);
    assert.equal(assembler.openLineStart, 12);
  });

  it('joins lines split at every possible byte, ASCII and multi-byte alike', () => {
    const text = Buffer.from('first line\r\nsecond é line 🙂\nthird\n\u00e9\u00e8\n');
    const whole = view(split([text]).lines);
    assert.equal(whole.length, 4);
    for (let cut = 1; cut < text.length; cut++) {
      assert.deepEqual(
        view(split([text.subarray(0, cut), text.subarray(cut)]).lines),
        whole,
        `cut at ${cut}`,
      );
    }
    const oneByteAtATime = [...text].map((b) => Buffer.from([b]));
    assert.deepEqual(view(split(oneByteAtATime).lines), whole);
  });

  it('strips \\r of \\r\\n line ends, also when the \\r ends the previous chunk', () => {
    const { lines } = split([Buffer.from('a\r'), Buffer.from('\nb\r\n')]);
    assert.deepEqual(view(lines), [
      [0, 3, 'a', 0, false],
      [3, 6, 'b', 0, false],
    ]);
  });

  it('keeps invalid UTF-8 and NUL bytes as text while offsets stay exact', () => {
    const bytes = Buffer.concat([
      Buffer.from('ok\n'),
      Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]), // a, two invalid bytes, b
      Buffer.from([0x00, 0x00, 0x63, 0x0a]), // NUL NUL c
      Buffer.from('naïve\n'),
    ]);
    const { lines } = split([bytes]);
    assert.deepEqual(view(lines), [
      [0, 3, 'ok', 0, false],
      [3, 8, 'a\ufffd\ufffdb', 0, false],
      [8, 12, '\u0000\u0000c', 0, false],
      [12, 19, 'naïve', 0, false],
    ]);
  });

  it('cuts a line longer than max_line_bytes, flags it with its real length, and reads on', () => {
    const long = 'x'.repeat(5000);
    const { lines } = split([Buffer.from(`${long}\nshort\n`)], 100);
    assert.deepEqual(view(lines), [
      [0, 5001, 'x'.repeat(100), 5000, false],
      [5001, 5007, 'short', 0, false],
    ]);
  });

  it('holds at most max_line_bytes of a 10 MB line fed in chunks', () => {
    const assembler = new LineSplitter(1000);
    const lines: LineRecord[] = [];
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let at = 0;
    for (let i = 0; i < 160; i++) {
      assembler.feed(chunk, at, 's', 'f', lines);
      at += chunk.length;
      assert.ok(assembler.bufferedBytes <= 1000, `buffered ${assembler.bufferedBytes} bytes`);
    }
    assembler.feed(Buffer.from('\n'), at, 's', 'f', lines);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].text.length, 1000);
    assert.deepEqual(lines[0].truncated, { originalBytes: 160 * 64 * 1024 });
    assert.equal(lines[0].next, at + 1);
  });

  it('does not cut a multi-byte character in half when truncating', () => {
    // 'é' is 2 bytes: 3 of them is 6 bytes; a 5-byte cut must end after the second one.
    for (const chunks of [[Buffer.from('ééé\n')], [Buffer.from('ééé'), Buffer.from('\n')]]) {
      const { lines } = split(chunks, 5);
      assert.equal(lines[0].text, 'éé');
      assert.deepEqual(lines[0].truncated, { originalBytes: 6 });
    }
  });

  it('emits the open line flagged partial on request, and the next bytes start a new line', () => {
    const assembler = new LineSplitter(100);
    const lines: LineRecord[] = [];
    assembler.feed(Buffer.from('done\nhalf a li'), 0, 's', 'f', lines);
    assert.equal(lines.length, 1);
    assert.equal(assembler.flushOpenLine('s', 'f', lines), true);
    assembler.feed(Buffer.from('ne\n'), 14, 's', 'f', lines);
    assert.deepEqual(view(lines), [
      [0, 5, 'done', 0, false],
      [5, 14, 'half a li', 0, true],
      [14, 17, 'ne', 0, false],
    ]);
    assert.equal(assembler.flushOpenLine('s', 'f', lines), false);
  });
});
