import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../core/log/logger.ts';
import { type LineRecord, lineRecord } from '../lineRecord.ts';
import { joinContainerLines } from './joinLines.ts';

/** Line records of one file, each starting where the one before ended (as the file input makes them). */
function fileLines(texts: string[], fileId = 'f1'): LineRecord[] {
  let offset = 0;
  return texts.map((text) => {
    const next = offset + Buffer.byteLength(text) + 1;
    const record = lineRecord('/var/log/containers/x.log', fileId, offset, next, text, undefined, false);
    offset = next;
    return record;
  });
}

function joiner(format: 'cri' | 'docker', maxLineBytes = 1024, partialTimeoutMs = 60_000) {
  const out: LineRecord[] = [];
  const join = joinContainerLines(
    format,
    async (lines) => {
      out.push(...lines);
    },
    { maxLineBytes, partialTimeoutMs, log: silentLogger },
  );
  return { out, join };
}

describe('container log partial lines', () => {
  it('cri: joins P parts with their F into one line spanning all their bytes, per stream', async () => {
    const { out, join } = joiner('cri');
    const lines = fileLines([
      '2026-12-07T08:00:00Z stdout P first half, ',
      '2026-12-07T08:00:01Z stderr F an error between the parts',
      '2026-12-07T08:00:02Z stdout P second, ',
      '2026-12-07T08:00:03Z stdout F end',
      '2026-12-07T08:00:04Z stdout F whole',
    ]);
    // Delivered in two batches: parts are held across batches.
    await join.onLines(lines.slice(0, 3));
    await join.onLines(lines.slice(3));
    assert.deepEqual(
      out.map((l) => [l.text, l.offset, l.next]),
      [
        ['2026-12-07T08:00:01Z stderr F an error between the parts', lines[1].offset, lines[1].next],
        ['2026-12-07T08:00:00Z stdout F first half, second, end', lines[0].offset, lines[3].next],
        ['2026-12-07T08:00:04Z stdout F whole', lines[4].offset, lines[4].next],
      ],
    );
  });

  it('docker: joins lines whose log has no newline yet', async () => {
    const { out, join } = joiner('docker');
    const lines = fileLines([
      '{"log":"part one ","stream":"stdout","time":"t1"}',
      '{"log":"part two\\n","stream":"stdout","time":"t2"}',
      '{"log":"alone\\n","stream":"stdout","time":"t3"}',
      'not json at all',
    ]);
    await join.onLines(lines);
    assert.deepEqual(
      out.map((l) => [JSON.parse(l.text.startsWith('{') ? l.text : '{}').log ?? l.text, l.offset, l.next]),
      [
        ['part one part two\n', lines[0].offset, lines[1].next],
        ['alone\n', lines[2].offset, lines[2].next],
        ['not json at all', lines[3].offset, lines[3].next],
      ],
    );
  });

  it('cuts a joined message at max_line_bytes and says how long it was', async () => {
    const { out, join } = joiner('cri', 300);
    const part = 'y'.repeat(200);
    await join.onLines(fileLines([`t stdout P ${part}`, `t stdout P ${part}`, `t stdout F ${part}`]));
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].truncated, { originalBytes: 600 });
    assert.ok(out[0].text.length < 500);
  });

  for (const format of ['cri', 'docker'] as const) {
    it(`${format}: sends a message whose last part never comes after the partial timeout, flagged partial`, async (t) => {
      t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
      const { out, join } = joiner(format, 1024, 5000);
      const part = (text: string) =>
        format === 'cri'
          ? `2026-12-07T08:00:00Z stdout P ${text}`
          : JSON.stringify({ log: text, stream: 'stdout', time: '2026-12-07T08:00:00Z' });
      const lines = fileLines([part('killed '), part('mid-message')]);
      await join.onLines(lines);
      assert.equal(out.length, 0, 'held while its last part may still come');
      t.mock.timers.tick(4999);
      await new Promise(setImmediate);
      assert.equal(out.length, 0);
      t.mock.timers.tick(1);
      await new Promise(setImmediate);
      assert.equal(out.length, 1);
      // The whole message, spanning both parts' bytes (so its ack moves the checkpoint past them).
      assert.equal(out[0].partial, true);
      assert.deepEqual([out[0].offset, out[0].next], [lines[0].offset, lines[1].next]);
      const content =
        format === 'cri' ? out[0].text.slice(out[0].text.indexOf(' F ') + 3) : JSON.parse(out[0].text).log;
      assert.equal(content, 'killed mid-message');
      // A part after that starts a new message.
      const later = fileLines([part('x'), part('y'), part('z')]);
      await join.onLines([{ ...later[2], offset: lines[1].next, next: lines[1].next + 10 }]);
      t.mock.timers.tick(5000);
      await new Promise(setImmediate);
      assert.equal(out.length, 2);
      assert.equal(out[1].offset, lines[1].next);
      join.stop();
    });
  }

  it('waits the partial timeout from the latest part, not the first', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const { out, join } = joiner('cri', 1024, 5000);
    const lines = fileLines(['t stdout P a', 't stdout P b', 't stdout F c']);
    await join.onLines([lines[0]]);
    t.mock.timers.tick(4000);
    await join.onLines([lines[1]]);
    t.mock.timers.tick(4000);
    await new Promise(setImmediate);
    assert.equal(out.length, 0);
    await join.onLines([lines[2]]);
    assert.deepEqual(
      out.map((l) => [l.text, l.partial]),
      [['t stdout F abc', false]],
    );
    join.stop();
  });

  it('passes lines not in the format on untouched, for the parser to flag', async () => {
    const { out, join } = joiner('cri');
    const lines = fileLines(['garbage', '', 'a b']);
    await join.onLines(lines);
    assert.deepEqual(out, lines);
  });
});
