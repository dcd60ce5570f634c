import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ParseConfigError } from '../types.ts';
import { type Assembled, createMultiline, type LineIn, type MultilineOptions } from './assembler.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/logs');

/** Splits text into lines with byte offsets, as the file input reads them. */
function linesOf(text: string): LineIn[] {
  const lines: LineIn[] = [];
  let offset = 0;
  for (const line of text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined)) {
    const next = offset + Buffer.byteLength(line) + 1;
    lines.push({ text: line, offset, next });
    offset = next;
  }
  return lines;
}

function assemble(options: MultilineOptions, text: string): Assembled[] {
  const multiline = createMultiline(options);
  const events: Assembled[] = [];
  for (const line of linesOf(text)) {
    const done = multiline.push(line, 0);
    if (done) events.push(done);
  }
  const last = multiline.drain();
  if (last) events.push(last);
  return events;
}

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('multiline assembly', () => {
  for (const options of [{ preset: 'java' }, { start: '^\\d{4}-\\d{2}-\\d{2} ' }] as MultilineOptions[]) {
    it(`joins a Java stack trace into the line that logged it (${JSON.stringify(options)})`, () => {
      const text = fixture('java.multiline.log');
      const events = assemble(options, text);
      assert.equal(events.length, 2);
      assert.deepEqual(
        events.map((e) => [e.offset, e.next, e.lines]),
        [
          [0, 451, 7],
          [451, 550, 1],
        ],
      );
      assert.equal(events[0].text, text.split('\n').slice(0, 7).join('\n'));
      assert.match(events[1].text, /charge ok order=A-1002$/);
      assert.equal(events[1].next, Buffer.byteLength(text));
    });
  }

  for (const options of [{ preset: 'python' }, { start: '^\\d{4}-\\d{2}-\\d{2} ' }] as MultilineOptions[]) {
    it(`joins a Python traceback, ending at its unindented exception line (${JSON.stringify(options)})`, () => {
      const events = assemble(options, fixture('python.traceback.log'));
      assert.deepEqual(
        events.map((e) => e.lines),
        [1, 7, 1],
      );
      assert.match(events[1].text, /^2026-11-23 12:00:02,050 ERROR worker\[77\] task failed\nTraceback/);
      assert.match(events[1].text, /\nValueError: bad input$/);
      assert.match(events[2].text, /next task$/);
    });
  }

  it('python: keeps chained tracebacks in one event and ends it at the next log line', () => {
    const text = [
      'ERROR boom',
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      'KeyError: 1',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "a.py", line 3, in <module>',
      'app.errors.BadThing: custom',
      'INFO next',
      '',
    ].join('\n');
    const events = assemble({ preset: 'python' }, text);
    assert.deepEqual(
      events.map((e) => e.lines),
      [10, 1],
    );
    assert.match(events[0].text, /app\.errors\.BadThing: custom$/);
  });

  it('python: a blank line after a traceback is consumed but not kept in the text', () => {
    const events = assemble(
      { preset: 'python' },
      'E x\nTraceback (most recent call last):\n  f\nValueError: v\n\nINFO y\n',
    );
    assert.equal(events[0].text, 'E x\nTraceback (most recent call last):\n  f\nValueError: v');
    assert.equal(events[0].lines, 5);
    assert.equal(events[1].offset, events[0].next);
  });

  it('java: keeps unrelated unindented lines apart', () => {
    const events = assemble(
      { preset: 'java' },
      'a started\nb ready\norg.x.Foo: not an exception\njava.lang.IllegalStateException\n',
    );
    assert.deepEqual(
      events.map((e) => e.text),
      ['a started', 'b ready', 'org.x.Foo: not an exception\njava.lang.IllegalStateException'],
    );
  });

  it('continue mode: lines matching the pattern append to the previous one', () => {
    const events = assemble({ continue: '^\\s' }, 'one\n  two\nthree\n\tfour\n');
    assert.deepEqual(
      events.map((e) => e.text),
      ['one\n  two', 'three\n\tfour'],
    );
  });

  it('an event starts with the first line even when it does not match start', () => {
    const events = assemble({ start: '^START' }, 'orphan\nmore\nSTART a\nb\n');
    assert.deepEqual(
      events.map((e) => e.text),
      ['orphan\nmore', 'START a\nb'],
    );
  });

  it('emits the pending event after timeout_ms without a new line, driven by the caller', () => {
    const multiline = createMultiline({ start: '^S', timeout_ms: 1000 });
    assert.equal(multiline.deadline(), undefined);
    multiline.push({ text: 'S one', offset: 0, next: 6 }, 10_000);
    multiline.push({ text: ' two', offset: 6, next: 11 }, 10_500);
    assert.equal(multiline.deadline(), 11_500);
    assert.equal(multiline.flush(11_499), undefined);
    assert.deepEqual(multiline.flush(11_500), { text: 'S one\n two', offset: 0, next: 11, lines: 2 });
    assert.equal(multiline.flush(99_999), undefined);
    assert.equal(multiline.deadline(), undefined);
  });

  it('cuts at max_lines, flagging both parts, with contiguous offsets', () => {
    const lines = ['S head', ...Array.from({ length: 6 }, (_, i) => `  frame ${i}`), 'S next'].join('\n');
    const events = assemble({ start: '^S', max_lines: 3 }, `${lines}\n`);
    assert.deepEqual(
      events.map((e) => [e.lines, e.truncated ?? false, e.continued ?? false]),
      [
        [3, true, false],
        [3, true, true],
        [1, false, true],
        [1, false, false],
      ],
    );
    for (let i = 1; i < events.length; i++) assert.equal(events[i].offset, events[i - 1].next);
  });

  it('cuts at max_bytes by offsets; a single longer line still makes one event', () => {
    const events = assemble({ start: '^S', max_bytes: 10 }, 'S 1234\n 5678\n 9\nS this line is long\n');
    assert.deepEqual(
      events.map((e) => [e.text, e.truncated ?? false]),
      [
        ['S 1234', true],
        [' 5678\n 9', false],
        ['S this line is long', false],
      ],
    );
  });

  it('reports the first offset still held, which a checkpoint must not pass', () => {
    const multiline = createMultiline({ preset: 'java' });
    assert.equal(multiline.pendingOffset(), undefined);
    multiline.push({ text: 'a', offset: 100, next: 102 }, 0);
    multiline.push({ text: '\tat x', offset: 102, next: 108 }, 0);
    assert.equal(multiline.pendingOffset(), 100);
    const done = multiline.push({ text: 'b', offset: 108, next: 110 }, 0);
    assert.deepEqual(done, { text: 'a\n\tat x', offset: 100, next: 108, lines: 2 });
    assert.equal(multiline.pendingOffset(), 108);
    multiline.drain();
    assert.equal(multiline.pendingOffset(), undefined);
  });

  it('refuses configs with none or several modes, bad patterns or bad max_lines', () => {
    assert.throws(() => createMultiline({}), ParseConfigError);
    assert.throws(() => createMultiline({ start: 'a', continue: 'b' }), /exactly one/);
    assert.throws(() => createMultiline({ start: '(' }), /does not compile/);
    assert.throws(() => createMultiline({ preset: 'cobol' as 'java' }), /unknown multiline preset/);
    assert.throws(() => createMultiline({ start: 'a', max_lines: 0 }), /max_lines/);
  });
});
