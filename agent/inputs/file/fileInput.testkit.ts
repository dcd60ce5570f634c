import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '../../checkpoint/checkpointStore.ts';
import type { LineRecord } from '../lineRecord.ts';
import { createFileInput, type FileInput } from './fileInput.ts';
import type { FileInputOptions } from './fileInputOptions.ts';

/** Test support for the file input: a temp directory, an input reading it, the lines it delivered. */

export interface RunningInput {
  input: FileInput;
  checkpoints: CheckpointStore;
  lines: LineRecord[];
  texts(): string[];
  /** Stops the input and closes its checkpoint store (as the agent does on shutdown). */
  stop(): Promise<void>;
}

export type TestInputOptions = Partial<Omit<FileInputOptions, 'checkpoints' | 'onLines'>> & {
  /** Acknowledge every batch as soon as it is delivered (default true). */
  autoAck?: boolean;
  /** Called with every batch before it is acknowledged; its promise delays the input (backpressure). */
  consumer?: (lines: LineRecord[]) => Promise<void>;
};

// Inputs still running when a test ends (it failed before stopping them): stopped by remove().
const running = new Set<RunningInput>();

/** A temp directory with logs/ and state/; remove() also stops inputs a failed test left running. */
export async function makeTempDir(): Promise<{
  dir: string;
  logs: string;
  state: string;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-file-input-'));
  const logs = join(dir, 'logs');
  const state = join(dir, 'state');
  await mkdir(logs);
  await mkdir(state);
  const remove = async () => {
    for (const input of [...running]) await input.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, logs, state, remove };
}

/** Starts a file input with short intervals so tests run quickly (nothing asserts on timing). */
export async function startInput(stateDir: string, options: TestInputOptions): Promise<RunningInput> {
  const checkpoints = await CheckpointStore.open({ path: join(stateDir, 'checkpoints.json'), debounceMs: 5 });
  const lines: LineRecord[] = [];
  const { autoAck = true, consumer, ...rest } = options;
  let input: FileInput | undefined;
  input = createFileInput({
    paths: [],
    scanIntervalMs: 20,
    pollIntervalMs: 5,
    rotateWaitMs: 300,
    partialLineTimeoutMs: 60_000,
    ...rest,
    checkpoints,
    onLines: async (batch) => {
      if (consumer !== undefined) await consumer(batch);
      lines.push(...batch);
      if (autoAck) input?.ackLines(batch);
    },
  });
  await input.start();
  const started = input;
  const handle: RunningInput = {
    input: started,
    checkpoints,
    lines,
    texts: () => lines.map((line) => line.text),
    async stop() {
      running.delete(handle);
      await started.stop();
      await checkpoints.close();
    },
  };
  running.add(handle);
  return handle;
}

export function numbered(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`${prefix} ${String(i).padStart(5, '0')}`);
  return out;
}

/** Asserts-friendly view: how often each text was delivered, for texts delivered other than once. */
export function notExactlyOnce(lines: LineRecord[], expected: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line.text, (counts.get(line.text) ?? 0) + 1);
  const wanted = new Set(expected);
  const problems: string[] = [];
  for (const text of expected) if (counts.get(text) !== 1) problems.push(`${text} ×${counts.get(text) ?? 0}`);
  for (const [text, count] of counts) if (!wanted.has(text)) problems.push(`unexpected ${text} ×${count}`);
  return problems.slice(0, 20);
}
