import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/log/logger.ts';
import { CheckpointStore } from '../checkpoint/checkpointStore.ts';
import type { AgentConfig } from '../config/schema.ts';
import { createFileInput } from '../inputs/file/fileInput.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import { startStdinInput } from '../inputs/stdin/stdinInput.ts';
import type { PipelineHost, PipelineSink, PipelineStage } from '../pipeline/pipelineStage.ts';
import type { Shipper } from '../ship/shipper.ts';
import type { AgentMetrics, InputLabels } from './agentMetrics.ts';

type InputConfig = AgentConfig['inputs'][number];

/** One input of agent.yaml, wired: input → pipeline → shipper, and acknowledgements back. */
export interface InputRunner {
  readonly labels: InputLabels;
  /** The input's checkpoints (file inputs); stdin has none. */
  readonly checkpoints: CheckpointStore | undefined;
  /** Settles when the input ends by itself (end of stdin) or fails; file inputs only fail. */
  readonly ended: Promise<void>;
  /** Stops reading. Lines read so far are in the edge, in the shipper or held by multi-line assembly. */
  stop(): Promise<void>;
  /** Hands every event still in the edge (a worker's queue, multi-line assembly) to the shipper. */
  drain(): Promise<void>;
  /** The gateway has bytes [offset, next) of `fileId`; ignored when the file is not this input's. */
  ack(fileId: string, offset: number, next: number): void;
  /** Events held by multi-line assembly. */
  held(): number;
}

export interface RunnerDeps {
  shipper: Shipper;
  /** Where the input's pipeline runs (this thread or a worker). */
  edges: PipelineHost;
  metrics: AgentMetrics;
  log: Logger;
  /** Resolves when shutdown begins: an input waiting for room in the shipper stops waiting then. */
  stopping: Promise<void>;
}

export async function startInputRunner(
  index: number,
  input: InputConfig,
  config: AgentConfig,
  deps: RunnerDeps,
): Promise<InputRunner> {
  const labels: InputLabels = { input: String(index), service: input.service };
  const log = deps.log.child({ input: index, service: input.service });
  const inputMetrics = deps.metrics.forInput(labels);
  let acknowledge: (fileId: string, offset: number, next: number) => void = () => undefined;
  const edge = deps.edges.stage(index, {
    ...shipping(deps, log),
    // Blank lines make no event; their bytes are acknowledged here or their file's checkpoint would
    // stop in front of them.
    skipped: (fileId, offset, next) => acknowledge(fileId, offset, next),
  });
  inputMetrics.watch(
    () => edge.stats(),
    () => edge.held,
  );
  const onLines = async (lines: LineRecord[]): Promise<void> => {
    inputMetrics.countLines(lines);
    await edge.push(lines, Date.now());
  };
  const ticker = multilineTicker(input, edge);

  if (input.type === 'stdin') {
    const stdin = startStdinInput({
      stream: process.stdin,
      onLines,
      maxLineBytes: input.max_line_bytes,
      partialLineTimeoutMs: input.partial_line_timeout,
    });
    return {
      labels,
      checkpoints: undefined,
      ended: stdin.done.finally(() => ticker.stop()),
      async stop() {
        ticker.stop();
        // A pipe cannot be re-read, so what is still in it at shutdown is not ours: stop reading.
        process.stdin.destroy();
        await stdin.done.catch(() => undefined); // ended by destroy(): nothing left to report
      },
      drain: () => edge.drain(),
      ack: () => undefined,
      held: () => edge.held,
    };
  }

  const checkpointPath = join(config.state_dir, 'checkpoints', `${checkpointName(input.paths)}.json`);
  await mkdir(join(config.state_dir, 'checkpoints'), { recursive: true });
  const checkpoints = await CheckpointStore.open({ path: checkpointPath, logger: log });
  if (checkpoints.origin === 'corrupt')
    log.warn('checkpoints were corrupt; every file is read from its start');
  const file = createFileInput({
    paths: input.paths,
    exclude: input.exclude,
    startAt: input.start_at,
    scanIntervalMs: input.scan_interval,
    watch: input.watch,
    pollIntervalMs: input.poll_interval,
    rotateWaitMs: input.rotate_wait,
    maxOpenFiles: input.max_open_files,
    fingerprintBytes: input.fingerprint_bytes,
    readChunkBytes: input.read_chunk_bytes,
    partialLineTimeoutMs: input.partial_line_timeout,
    maxLineBytes: input.max_line_bytes,
    checkpoints,
    onLines,
    logger: log,
  });
  acknowledge = (fileId, offset, next) => file.ack(fileId, offset, next);
  await file.start();
  log.info('reading files', { paths: input.paths, checkpoints: checkpointPath });
  return {
    labels,
    checkpoints,
    ended: file.done.finally(() => ticker.stop()),
    async stop() {
      ticker.stop();
      await file.stop();
    },
    drain: () => edge.drain(),
    ack: acknowledge,
    held: () => edge.held,
  };
}

/**
 * The checkpoint file of a file input, named by its `paths` rather than its place in the list, so
 * adding or reordering inputs keeps every input's checkpoints. Changing an input's `paths` starts it
 * afresh (by `start_at`); files read again carry the ids they had, so stores drop the duplicates.
 */
export function checkpointName(paths: readonly string[]): string {
  const digest = createHash('sha256').update(paths.join('\n')).digest('hex');
  return `file-${digest.slice(0, 16)}`;
}

/** The shipper as an edge's sink: add() whose wait for room ends when shutdown begins. */
function shipping(deps: RunnerDeps, log: Logger): Omit<PipelineSink, 'skipped'> {
  const wait = async (adding: Promise<void>): Promise<void> => {
    // add() takes the records at once and then waits for room (backpressure). At shutdown the wait is
    // cut short: the records are already in the shipper, and the input must be free to stop.
    adding.catch(() => undefined); // observed by the race below; after it, only a closing shipper rejects
    await Promise.race([adding, deps.stopping]);
  };
  return {
    records: (records) => (records.length === 0 ? Promise.resolve() : wait(deps.shipper.add(records))),
    encoded: (block) => (block.ends.length === 0 ? Promise.resolve() : wait(deps.shipper.addEncoded(block))),
    recordsNow(records) {
      if (records.length === 0) return;
      deps.shipper.add(records).catch((error: unknown) => {
        log.error('events could not be handed to the shipper', {
          error: String(error),
          events: records.length,
        });
      });
    },
  };
}

/** Drives multi-line timeouts: an event whose next line does not come is sent after `timeout`. */
function multilineTicker(input: InputConfig, edge: PipelineStage): { stop(): void } {
  if (input.multiline === undefined) return { stop: () => undefined };
  // A quarter of the timeout keeps the extra wait small; never busier than every 10 ms.
  const period = Math.max(10, Math.min(250, Math.floor(input.multiline.timeout / 4)));
  const timer = setInterval(() => edge.tick(Date.now()), period);
  // Shutdown drains explicitly; the timer alone must not keep the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
