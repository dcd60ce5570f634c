import type * as v from 'valibot';
import type { Logger } from '../../core/log/logger.ts';
import type { CheckResult } from '../check/checkResult.ts';
import type { CheckpointStore } from '../checkpoint/checkpointStore.ts';
import type { OnLines } from './lineRecord.ts';

/** What a starting input is handed by its runner (agent/runtime/inputRunner.ts). */
export interface InputContext {
  /** Its place in `inputs:`, for logs and metrics. */
  index: number;
  /** `state_dir`: where an input with checkpoints keeps them. */
  stateDir: string;
  /** Where its lines go; the input waits for the promise before reading more (backpressure). */
  onLines: OnLines;
  log: Logger;
  /** Resolves when the agent begins to stop. */
  stopping: Promise<void>;
}

/** One input, reading. */
export interface RunningInput {
  /** Settles when the input ends by itself (end of stdin) or fails; inputs that follow a source only fail. */
  readonly ended: Promise<void>;
  /** Stops reading. What was read is in the pipeline or the shipper. */
  stop(): Promise<void>;
  /** The gateway (or the spool) has bytes [offset, next) of `fileId`; ignored when not this input's. */
  ack(fileId: string, offset: number, next: number): void;
  /** Writes the checkpoints a last time, after the last acknowledgement (shutdown). */
  closeCheckpoints(): Promise<void>;
  /** A file input's checkpoints, for the per-file lag metrics; absent for other inputs. */
  readonly files?: CheckpointStore;
}

/**
 * One kind of input (`type:` in agent.yaml): its config schema, how it starts, what `--check-config`
 * says of it. Every kind is one folder under agent/inputs/ and one line in agent/inputs/table.ts.
 */
export interface InputKind<S extends v.GenericSchema = v.GenericSchema> {
  type: string;
  /** A `v.strictObject` with `type: v.literal(<type>)`; it becomes one variant of `inputs:`. */
  schema: S;
  start(input: v.InferOutput<S>, ctx: InputContext): Promise<RunningInput>;
  /** `--check-config`: can it read (paths match, port free, journalctl present), changing nothing. */
  check(input: v.InferOutput<S>, index: number): Promise<CheckResult>;
  /** A few words for the start-up summary, e.g. `file /var/log/*.log (json)`. */
  describe(input: v.InferOutput<S>): string;
}

/** Declares a kind with its schema's types checked (the table holds kinds of many schemas). */
export function inputKind<S extends v.GenericSchema>(kind: InputKind<S>): InputKind<S> {
  return kind;
}
