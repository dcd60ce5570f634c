import type { Logger } from '../../core/log/logger.ts';
import type { CheckpointStore } from '../checkpoint/checkpointStore.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { InputKind, RunningInput } from '../inputs/inputKind.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import { kindOf } from '../inputs/table.ts';
import type { PipelineHost, PipelineSink, PipelineStage } from '../pipeline/pipelineStage.ts';
import type { Shipper } from '../ship/shipper.ts';
import type { AgentMetrics, InputLabels } from './agentMetrics.ts';

type InputConfig = AgentConfig['inputs'][number];

/** One input of agent.yaml, wired: input → pipeline → shipper, and acknowledgements back. */
export interface InputRunner {
  readonly labels: InputLabels;
  /** A file input's checkpoints (for the per-file lag metrics); other inputs have none. */
  readonly checkpoints: CheckpointStore | undefined;
  /** Settles when the input ends by itself (end of stdin) or fails; file inputs only fail. */
  readonly ended: Promise<void>;
  /** Stops reading. Lines read so far are in the edge, in the shipper or held by multi-line assembly. */
  stop(): Promise<void>;
  /** Hands every event still in the edge (a worker's queue, multi-line assembly) to the shipper. */
  drain(): Promise<void>;
  /** The gateway has bytes [offset, next) of `fileId`; ignored when the file is not this input's. */
  ack(fileId: string, offset: number, next: number): void;
  /** Writes the input's checkpoints a last time (after the shipper closed: every ack is in). */
  closeCheckpoints(): Promise<void>;
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
  // The table's kind for this `type:`; the schema admitted only types the table has.
  const kind = kindOf(input.type) as InputKind;
  let running: RunningInput;
  try {
    running = await kind.start(input, {
      index,
      stateDir: config.state_dir,
      onLines,
      log,
      stopping: deps.stopping,
    });
  } catch (error) {
    ticker.stop();
    throw error;
  }
  acknowledge = (fileId, offset, next) => running.ack(fileId, offset, next);
  return {
    labels,
    checkpoints: running.files,
    ended: running.ended.finally(() => ticker.stop()),
    async stop() {
      ticker.stop();
      await running.stop();
    },
    drain: () => edge.drain(),
    ack: acknowledge,
    closeCheckpoints: () => running.closeCheckpoints(),
    held: () => edge.held,
  };
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
