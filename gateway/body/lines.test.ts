import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INVALID_UTF8, ndjsonLines } from './lines.ts';

describe('ndjsonLines', () => {
  it('yields the non-blank lines without their CR, in order', () => {
    const body = Buffer.from('{"a":1}\r\n\n   \n{"b":2}\n\t\r\n{"c":3}');
    assert.deepEqual([...ndjsonLines(body)], ['{"a":1}', '{"b":2}', '{"c":3}']);
    assert.deepEqual([...ndjsonLines(Buffer.from(''))], []);
  });

  it('reads a body of many pieces whole: multi-byte characters, a line longer than a piece, a BOM', () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ n: i, message: i % 7 === 0 ? `é€😀 ${'x'.repeat(i % 50)}` : `line ${i}` }),
    );
    lines[1500] = JSON.stringify({ message: 'ü'.repeat(40_000) }); // 80,000 bytes on one line
    const body = Buffer.from(`\uFEFF${lines.join('\r\n')}\n`);
    assert.deepEqual([...ndjsonLines(body)], lines);
    assert.deepEqual([...ndjsonLines(Buffer.from(lines.slice(0, 3).join('\n')))], lines.slice(0, 3));
  });

  it('marks only the lines of invalid UTF-8 when the body has some', () => {
    const body = Buffer.concat([
      Buffer.from('{"a":1}\r\n\n{"b":"'),
      Buffer.from([0xff]),
      Buffer.from('"}\n{"c":3}\n'),
    ]);
    assert.deepEqual([...ndjsonLines(body)], ['{"a":1}', INVALID_UTF8, '{"c":3}']);
  });
});
