import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { type Frame, TcpFramer } from './tcpFraming.ts';

function frames(max: number, ...chunks: string[]): { frames: Frame[]; error: string | undefined } {
  const framer = new TcpFramer(max);
  const out: Frame[] = [];
  let error: string | undefined;
  for (const chunk of chunks) error ??= framer.feed(Buffer.from(chunk), out);
  return { frames: out, error };
}

describe('syslog TCP framing (RFC 6587)', () => {
  it('reads octet-counted frames, messages with newlines inside included', () => {
    const { frames: out, error } = frames(1024, '11 <13>hello\nX', '5 <13>a');
    assert.equal(error, undefined);
    assert.deepEqual(
      out.map((f) => [f.text, f.wireBytes]),
      [
        ['<13>hello\nX', 14],
        ['<13>a', 7],
      ],
    );
  });

  it('reads newline-terminated frames, with \\r\\n and NUL trailers', () => {
    const { frames: out } = frames(1024, '<13>one\n<13>two\r\n<13>three\0<13>fo', 'ur\n');
    assert.deepEqual(
      out.map((f) => f.text),
      ['<13>one', '<13>two', '<13>three', '<13>four'],
    );
    assert.deepEqual(
      out.map((f) => f.wireBytes),
      [8, 9, 10, 9],
    );
  });

  it('decides the framing per message and joins frames split across chunks anywhere', () => {
    const stream = '5 <13>a<13>b\n10 <13>hello!\n';
    for (let cut = 0; cut <= stream.length; cut++) {
      const { frames: out, error } = frames(1024, stream.slice(0, cut), stream.slice(cut));
      assert.equal(error, undefined);
      assert.deepEqual(
        out.map((f) => f.text),
        ['<13>a', '<13>b', '<13>hello!'],
        `cut at ${cut}`,
      );
    }
  });

  it('keeps at most maxBytes of an oversized message, counted or not, and goes on with the next', () => {
    const big = 'x'.repeat(5000);
    const counted = frames(100, `${big.length + 4} <13>${big}`, '6 <13>ok');
    assert.equal(counted.error, undefined);
    assert.equal(counted.frames[0].text.length, 100);
    assert.deepEqual(counted.frames[0].truncated, { originalBytes: 5004 });
    assert.equal(counted.frames[1].text, '<13>ok');
    const lines = frames(100, `<13>${big.slice(0, 2000)}`, `${big.slice(2000)}\n<13>next\n`);
    assert.equal(lines.frames[0].text.length, 100);
    assert.deepEqual(lines.frames[0].truncated, { originalBytes: 5004 });
    assert.equal(lines.frames[0].wireBytes, 5005);
    assert.equal(lines.frames[1].text, '<13>next');
  });

  it('holds no more than maxBytes for a huge claimed length, whatever arrives', () => {
    const framer = new TcpFramer(64);
    const out: Frame[] = [];
    assert.equal(framer.feed(Buffer.from('999999999 '), out), undefined);
    for (let i = 0; i < 100; i++) framer.feed(Buffer.alloc(65536, 0x61), out);
    assert.ok(framer.buffered <= 64, `buffered ${framer.buffered}`);
    assert.equal(out.length, 0);
  });

  it('refuses malformed octet counts (the caller closes the connection)', () => {
    assert.match(frames(1024, '12345678901234 <13>x').error ?? '', /too long/);
    assert.match(frames(1024, '1x2 <13>x').error ?? '', /malformed octet count/);
  });
});
