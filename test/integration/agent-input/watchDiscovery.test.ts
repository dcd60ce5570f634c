import assert from 'node:assert/strict';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  makeTempDir,
  notExactlyOnce,
  numbered,
  startInput,
} from '../../../agent/inputs/file/fileInput.testkit.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const text = (lines: string[]) => `${lines.join('\n')}\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `paths: [app.log]` with rotations faster than scan_interval: each generation holds the matching name
 * for about 300 ms, then is renamed out of the pattern. Only a scan while it holds the name finds it.
 */
async function rotateQuickly(logs: string, generations: number): Promise<string[]> {
  const path = join(logs, 'app.log');
  const expected: string[] = [];
  for (let g = 0; g < generations; g++) {
    const lines = numbered(`generation ${g}`, 0, 2000);
    expected.push(...lines);
    await writeFile(path, text(lines));
    await sleep(300);
    await rename(path, join(logs, `app.log.${g}`));
  }
  return expected;
}

describe('file input: discovery by file-system events', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  it('reads every generation of files that match for less than scan_interval', async () => {
    // A scan_interval no rotation here waits for: only the directory events can find the files.
    const run = await startInput(tmp.state, {
      paths: [join(tmp.logs, 'app.log')],
      scanIntervalMs: 60_000,
      rotateWaitMs: 200,
    });
    const expected = await rotateQuickly(tmp.logs, 5);
    await waitFor('every line', () => run.lines.length >= expected.length, {
      timeoutMs: 30_000,
      context: () => `${run.lines.length} of ${expected.length} lines`,
    });
    await run.stop();
    assert.deepEqual(notExactlyOnce(run.lines, expected), []);
  });

  it('misses them with watch: false, the poll alone (what the events are for)', async () => {
    const run = await startInput(tmp.state, {
      paths: [join(tmp.logs, 'app.log')],
      scanIntervalMs: 60_000,
      rotateWaitMs: 200,
      watch: false,
    });
    await rotateQuickly(tmp.logs, 2);
    await sleep(500);
    await run.stop();
    assert.equal(run.lines.length, 0, 'no scan ran while a generation held the name');
  });
});
