import assert from 'node:assert/strict';
import type { Buffer } from 'node:buffer';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CheckpointStore } from '../../../agent/checkpoint/checkpointStore.ts';
import { createFileInput } from '../../../agent/inputs/file/fileInput.ts';
import type { LineRecord } from '../../../agent/inputs/lineRecord.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs a child script and calls `onLine` with each line it prints until the test kills it. */
function runChild(script: string, args: string[], onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, [join(here, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  return child;
}

async function killNine(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('agent input under kill -9', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-kill9-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('always leaves a whole checkpoint, at least as new as the last completed write', async () => {
    const path = join(dir, 'checkpoints.json');
    for (let attempt = 0; attempt < 6; attempt++) {
      let durable = 0;
      // Kill at a different point of the write cycle each time.
      const killAfter = 3 + attempt * 7;
      const child = runChild('checkpointWriter.child.ts', [path], (line) => {
        durable = Number(line);
      });
      await waitFor(`${killAfter} completed writes`, () => durable >= killAfter, {
        timeoutMs: 30_000,
        intervalMs: 2,
      });
      await killNine(child);
      const store = await CheckpointStore.open({ path });
      assert.equal(store.origin, 'loaded', 'never torn or corrupt');
      const offsets = new Set([...store.entries()].map(([, entry]) => entry.offset));
      assert.equal(store.size, 200);
      assert.equal(offsets.size, 1, 'all entries from one write, never a mix');
      const [offset] = offsets;
      assert.ok(
        offset >= durable * 1000,
        `checkpoint round ${offset / 1000} older than reported durable ${durable}`,
      );
    }
  });

  it('resumes the file input at or before the first unreported line, never after it', async () => {
    const logs = join(dir, 'logs');
    const state = join(dir, 'state');
    await mkdir(logs);
    await mkdir(state);
    const path = join(logs, 'app.log');
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) lines.push(`line ${String(i).padStart(7, '0')} ${'x'.repeat(40)}`);
    await writeFile(path, `${lines.join('\n')}\n`);
    const size = (await stat(path)).size;

    let delivered = 0;
    const child = runChild('tailer.child.ts', [state, path], (line) => {
      delivered = Number(line.split(' ')[1]);
    });
    const savedOffset = async () => {
      const text = await readFile(join(state, 'checkpoints.json'), 'utf8').catch(() => '');
      return text === '' ? 0 : (Object.values(JSON.parse(text).files) as Array<{ offset: number }>)[0].offset;
    };
    // Kill once a checkpoint past 0 is on disk, so the restart below resumes somewhere mid-file.
    await waitFor('a checkpoint mid-file', async () => delivered >= size / 4 && (await savedOffset()) > 0, {
      timeoutMs: 30_000,
      intervalMs: 2,
    });
    await killNine(child);
    assert.ok(delivered < size, 'killed mid-file');

    const entry = { offset: await savedOffset() };
    assert.ok(
      entry.offset <= delivered,
      `checkpoint ${entry.offset} beyond what was delivered (${delivered})`,
    );

    const checkpoints = await CheckpointStore.open({ path: join(state, 'checkpoints.json') });
    const again: LineRecord[] = [];
    const input = createFileInput({
      paths: [path],
      checkpoints,
      pollIntervalMs: 5,
      onLines: async (batch) => {
        again.push(...batch);
      },
    });
    await input.start();
    await waitFor('the rest of the file', () => again.length > 0 && again[again.length - 1].next === size, {
      timeoutMs: 30_000,
      intervalMs: 2,
    });
    await input.stop();
    await checkpoints.close();
    assert.equal(again[0].offset, entry.offset, 'resumed exactly at the checkpoint');
    assert.match(again[0].text, /^line \d{7} x{40}$/, 'on a line boundary');
    const first = Number(again[0].text.slice(5, 12));
    assert.deepEqual(
      again.map((l) => l.text),
      lines.slice(first),
      'every line from the checkpoint on, once',
    );
  });
});
