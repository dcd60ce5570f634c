import assert from 'node:assert/strict';
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { waitFor } from '../../../test/helpers/waitFor.ts';
import type { LineRecord } from '../lineRecord.ts';
import { makeTempDir, notExactlyOnce, numbered, startInput } from './fileInput.testkit.ts';

const text = (lines: string[]) => `${lines.join('\n')}\n`;

async function savedOffsets(stateDir: string): Promise<number[]> {
  const doc = JSON.parse(await readFile(join(stateDir, 'checkpoints.json'), 'utf8'));
  return Object.values(doc.files as Record<string, { offset: number; retired?: boolean }>)
    .filter((entry) => entry.retired !== true)
    .map((entry) => entry.offset);
}

describe('file input: checkpoints', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  it('resumes after a restart with only the lines appended meanwhile', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, text(numbered('first run', 0, 100)));
    const first = await startInput(tmp.state, { paths: [path] });
    await waitFor('first run', () => first.lines.length === 100);
    await first.stop();
    await appendFile(path, text(numbered('while stopped', 0, 30)));
    const second = await startInput(tmp.state, { paths: [path] });
    await appendFile(path, text(numbered('second run', 0, 20)));
    await waitFor('new lines', () => second.lines.length === 50);
    await second.stop();
    assert.deepEqual(
      notExactlyOnce(second.lines, [...numbered('while stopped', 0, 30), ...numbered('second run', 0, 20)]),
      [],
    );
    assert.equal(second.lines[0].fileId, first.lines[0].fileId);
    assert.equal(second.lines[0].offset, first.lines[99].next);
  });

  it('reads lines never acknowledged again after a restart, with the same ids (offsets and file id)', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, text(numbered('line', 0, 10)));
    const first = await startInput(tmp.state, { paths: [path], autoAck: false });
    await waitFor('lines', () => first.lines.length === 10);
    first.input.ack(first.lines[0].fileId, first.lines[0].offset, first.lines[3].next); // the first 4 only
    await first.stop();
    const second = await startInput(tmp.state, { paths: [path] });
    await waitFor('the unacknowledged lines', () => second.lines.length === 6);
    await second.stop();
    const key = (l: LineRecord) => `${l.fileId}@${l.offset}:${l.text}`;
    assert.deepEqual(second.lines.map(key), first.lines.slice(4).map(key));
  });

  it('checkpoints only the contiguous acknowledged prefix when acks come out of order', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, text(numbered('line', 0, 3)));
    const run = await startInput(tmp.state, { paths: [path], autoAck: false });
    await waitFor('lines', () => run.lines.length === 3);
    const [a, b, c] = run.lines;
    run.input.ack(c.fileId, c.offset, c.next);
    run.input.ack(b.fileId, b.offset, b.next);
    await run.checkpoints.flush();
    assert.deepEqual(await savedOffsets(tmp.state), [0], 'line a is in flight: nothing may be skipped');
    run.input.ack(a.fileId, a.offset, a.next);
    await run.checkpoints.flush();
    assert.deepEqual(await savedOffsets(tmp.state), [c.next]);
    await run.stop();
  });

  it('finds a file rotated while the agent was stopped under its new name and reads its tail', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, text(numbered('before stop', 0, 100)));
    const first = await startInput(tmp.state, { paths: [join(tmp.logs, 'app.log*')] });
    await waitFor('first run', () => first.lines.length === 100);
    await first.stop();
    await appendFile(path, text(numbered('just before rotation', 0, 25)));
    await rename(path, `${path}.1`);
    await writeFile(path, text(numbered('new file', 0, 40)));
    const second = await startInput(tmp.state, { paths: [join(tmp.logs, 'app.log*')] });
    await waitFor('tail and new file', () => second.lines.length >= 65);
    await second.stop();
    assert.deepEqual(
      notExactlyOnce(second.lines, [
        ...numbered('just before rotation', 0, 25),
        ...numbered('new file', 0, 40),
      ]),
      [],
    );
  });

  it('applies start_at: end to never-seen files only, never to a file it has a checkpoint for', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, text(numbered('history', 0, 50)));
    const first = await startInput(tmp.state, { paths: [path], startAt: 'end' });
    await appendFile(path, 'seen live\n');
    await waitFor('the live line', () => first.lines.length === 1);
    await first.stop();
    await appendFile(path, 'while stopped\n');
    const second = await startInput(tmp.state, { paths: [path], startAt: 'end' });
    await waitFor('the line written while stopped', () => second.lines.length === 1);
    await second.stop();
    assert.deepEqual([...first.texts(), ...second.texts()], ['seen live', 'while stopped']);
  });

  it('reads from the beginning, whatever start_at says, when the checkpoint file is corrupt', async () => {
    const path = join(tmp.logs, 'app.log');
    await writeFile(path, text(numbered('line', 0, 5)));
    await writeFile(join(tmp.state, 'checkpoints.json'), '{"version":1,"files":{"x":');
    const run = await startInput(tmp.state, { paths: [path], startAt: 'end' });
    await waitFor('all lines', () => run.lines.length === 5);
    await run.stop();
    assert.equal(run.checkpoints.origin, 'corrupt');
    assert.deepEqual(run.texts(), numbered('line', 0, 5));
  });
});
