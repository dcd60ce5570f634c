/**
 * One measured run of Fluent Bit (the reference) over the same file to the same sink: its path comes from
 * SLUICE_FLUENT_BIT (the folder holding `fluent-bit` and its configs, see its README), never from tests.
 * CPU and peak memory from /proc, as for the agent; it does not exit at the end of the file, so it is
 * stopped once the sink holds every line.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureRun, type RunResult, type RunSetup } from './agentRun.ts';
import type { Sink } from './sink.ts';

/** The Fluent Bit folder from SLUICE_FLUENT_BIT, or undefined (with the reason) when it is not usable. */
export function fluentBitDir(env = process.env): { dir?: string; why?: string } {
  const dir = env.SLUICE_FLUENT_BIT;
  if (dir === undefined || dir === '') return { why: 'SLUICE_FLUENT_BIT is not set' };
  if (!existsSync(join(dir, 'fluent-bit'))) return { why: `no fluent-bit in ${dir}` };
  return { dir };
}

export async function runFluentBit(
  setup: RunSetup & { fbConfig: string },
  options: { dir: string; dataPath: string; lines: number; bytes: number; sink: Sink; timeoutMs: number },
): Promise<RunResult> {
  const state = await mkdtemp(join(tmpdir(), 'sluice-fb-bench-'));
  // Its masking differs from Sluice's (mask.lua): secrets are not looked for, only lines counted.
  options.sink.reset(options.lines, []);
  const port = new URL(options.sink.url).port;
  try {
    return await measureRun(
      setup,
      join(options.dir, 'fluent-bit'),
      ['-c', join(options.dir, setup.fbConfig)],
      {
        ...options,
        env: {
          ...process.env,
          FB_DIR: options.dir,
          FB_INPUT: options.dataPath,
          FB_STATE: state,
          FB_PORT: port,
        },
      },
    );
  } finally {
    await rm(state, { recursive: true, force: true });
  }
}
