import assert from 'node:assert/strict';
import { appendFile, copyFile, open, rename, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { waitFor } from '../../../test/helpers/waitFor.ts';
import { makeTempDir, notExactlyOnce, numbered, startInput } from './fileInput.testkit.ts';

const text = (lines: string[]) => `${lines.join('\n')}\n`;

describe('file input: rotation', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  for (const pattern of ['app.log', 'app.log*']) {
    it(`reads every line once across rename rotation (paths: ${pattern}), including lines the writer adds to the renamed file`, async () => {
      const path = join(tmp.logs, 'app.log');
      const writer = await open(path, 'a');
      const run = await startInput(tmp.state, { paths: [join(tmp.logs, pattern)] });
      await writer.write(text(numbered('before', 0, 500)));
      await waitFor('lines before rotation', () => run.lines.length === 500);
      await writer.write(text(numbered('unread at rotation', 0, 300)));
      await rename(path, `${path}.1`);
      // The writer has not reopened its log yet: it keeps appending to the renamed file.
      await writer.write(text(numbered('after rename, old file', 0, 300)));
      await writeFile(path, text(numbered('new file', 0, 400)));
      await writer.write(text(numbered('late, old file', 0, 10)));
      await writer.close();
      const expected = [
        ...numbered('before', 0, 500),
        ...numbered('unread at rotation', 0, 300),
        ...numbered('after rename, old file', 0, 300),
        ...numbered('new file', 0, 400),
        ...numbered('late, old file', 0, 10),
      ];
      await waitFor('all lines', () => run.lines.length >= expected.length);
      // Long enough for the rotated file to be closed (rotate_wait) and rescanned a few times.
      await waitFor('the old file closed', () => pattern === 'app.log*' || run.input.stats().openFiles === 1);
      await run.stop();
      assert.deepEqual(notExactlyOnce(run.lines, expected), []);
      const oldFile = run.lines.filter((l) => !l.text.startsWith('new file'));
      assert.equal(new Set(oldFile.map((l) => l.fileId)).size, 1, 'the renamed file keeps its id');
      assert.ok(!run.lines.some((l) => l.text.startsWith('new file') && l.fileId === oldFile[0].fileId));
    });
  }

  it('reads the rest of a rotated file before its successor, beyond the per-turn read budget', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, text(numbered('old', 0, 10)));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Scan between every turn, so the rotation is seen while most of the old tail is still unread.
    const run = await startInput(tmp.state, { paths: [path], scanIntervalMs: 0, consumer: () => gate });
    await appendFile(
      path,
      text(numbered('old tail, a line long enough to make megabytes quickly', 0, 200_000)),
    );
    await rename(path, `${path}.1`);
    await writeFile(path, text(numbered('new', 0, 10)));
    release();
    await waitFor('all lines', () => run.lines.length === 200_020);
    await run.stop();
    const texts = run.texts();
    const firstNew = texts.findIndex((t) => t.startsWith('new'));
    const lastOld = texts.findLastIndex((t) => t.startsWith('old'));
    assert.ok(lastOld < firstNew, `old file finished (${lastOld}) before the new one started (${firstNew})`);
  });

  it('handles copytruncate: lines after the truncation are all read, none of the new content twice', async () => {
    const path = join(tmp.logs, 'app.log');
    const writer = await open(path, 'a'); // O_APPEND, as copytruncate requires of writers
    const run = await startInput(tmp.state, { paths: [path] });
    await writer.write(text(numbered('before copy', 0, 1000)));
    await waitFor('lines before the copy', () => run.lines.length === 1000);
    await copyFile(path, `${path}.1`);
    await truncate(path, 0);
    await writer.write(text(numbered('after truncate', 0, 200)));
    await waitFor('lines after the truncation', () => run.lines.length >= 1200);
    await writer.write(text(numbered('later', 0, 100)));
    await waitFor('later lines', () => run.lines.length >= 1300);
    await writer.close();
    await run.stop();
    const expected = [
      ...numbered('before copy', 0, 1000),
      ...numbered('after truncate', 0, 200),
      ...numbered('later', 0, 100),
    ];
    assert.deepEqual(notExactlyOnce(run.lines, expected), []);
    const before = run.lines[0].fileId;
    const after = run.lines.find((l) => l.text.startsWith('after'))?.fileId;
    assert.notEqual(after, before, 'offsets start again at 0: a new id, so event ids do not collide');
    assert.equal(run.input.stats().restarts, 1);
  });

  it('notices truncation and rewrite past the old offset by the changed first bytes', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, text(numbered('first generation', 0, 50)));
    const run = await startInput(tmp.state, { paths: [path] });
    await waitFor('first generation', () => run.lines.length === 50);
    // Truncate and write more than before in one go: the size alone says "grown".
    await writeFile(path, text(numbered('second generation, longer lines', 0, 100)));
    await waitFor('second generation', () => run.lines.length >= 150);
    await run.stop();
    const expected = [
      ...numbered('first generation', 0, 50),
      ...numbered('second generation, longer lines', 0, 100),
    ];
    assert.deepEqual(notExactlyOnce(run.lines, expected), []);
  });

  it('reads a file truncated to nothing again from its start, under a new generation id', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, 'same first line\nmore\n');
    const run = await startInput(tmp.state, { paths: [path] });
    await waitFor('first generation', () => run.lines.length === 2);
    await truncate(path, 0);
    await waitFor('the truncation noticed', () => run.input.stats().restarts === 1);
    await appendFile(path, 'same first line\n');
    await waitFor('the line after truncation', () => run.lines.length === 3);
    await run.stop();
    assert.deepEqual(run.texts(), ['same first line', 'more', 'same first line']);
    assert.deepEqual([run.lines[2].offset, run.lines[0].offset], [0, 0]);
    assert.equal(run.lines[2].fileId, `${run.lines[0].fileId}.g1`, 'same first line: next generation');
  });

  it('reads the rest of a file deleted while being read', async () => {
    const path = join(tmp.logs, 'app.log');
    const expected = numbered('doomed file line', 0, 50_000);
    await writeFile(path, text(expected));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let batches = 0;
    const run = await startInput(tmp.state, {
      paths: [path],
      readChunkBytes: 16 * 1024,
      consumer: async () => {
        if (++batches === 1) await gate;
      },
    });
    await waitFor('reading under way', () => batches === 1);
    await unlink(path);
    release();
    await waitFor('every line of the deleted file', () => run.lines.length === expected.length);
    await waitFor('the deleted file closed', () => run.input.stats().openFiles === 0);
    await run.stop();
    assert.deepEqual(notExactlyOnce(run.lines, expected), []);
  });

  it('gives a new file on a reused inode a new id and reads it from its start', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, 'banner\nold content\n');
    const oldIno = (await stat(path)).ino;
    const run = await startInput(tmp.state, { paths: [path] });
    await waitFor('the old file', () => run.lines.length === 2);
    await unlink(path);
    await waitFor('the deleted file closed (its inode freed)', () => run.input.stats().openFiles === 0);
    await writeFile(path, 'banner\nnew content, longer than the old file was\n');
    const newIno = (await stat(path)).ino;
    await waitFor('the new file', () => run.lines.length === 4);
    await run.stop();
    assert.deepEqual(run.texts(), [
      'banner',
      'old content',
      'banner',
      'new content, longer than the old file was',
    ]);
    assert.notEqual(run.lines[2].fileId, run.lines[0].fileId);
    // Not an assertion: whether the file system reused the inode decides which guard was exercised.
    console.log(`inode ${oldIno === newIno ? 'reused' : 'not reused'} (${oldIno} → ${newIno})`);
  });
});
