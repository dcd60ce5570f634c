import type { Masker, MaskStats } from '../../core/mask/index.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import type { EncodedRecords, ShipRecord } from '../ship/shipRecord.ts';
import type { EnrichmentOptions } from './enrichment.ts';
import { createPipeline, type PipelineStats } from './pipeline.ts';
import { RecordsEncoder } from './worker/messages.ts';

type InputConfig = AgentConfig['inputs'][number];

/**
 * Where one input's events go: the shipper (through the runner, which cuts waits short at shutdown)
 * and, for bytes that make no event, the input's acknowledgements.
 */
export interface PipelineSink {
  /** Hands events over; resolves when the shipper has room for more (backpressure). */
  records(records: ShipRecord[]): Promise<void>;
  /** Hands events over without waiting for room (timers, shutdown); failures are the sink's to report. */
  recordsNow(records: ShipRecord[]): void;
  /**
   * The same for events already encoded (by a worker, or `parse: server`). The block's bytes are
   * copied before this returns: the caller writes into them again.
   */
  encoded(block: EncodedRecords): Promise<void>;
  /** Bytes that make no event (blank lines): nobody else will acknowledge them. */
  skipped(fileId: string, offset: number, next: number): void;
}

/**
 * One input's pipeline as its runner drives it, wherever it runs: in this thread, or in an edge
 * worker (agent/pipeline/worker), where parsing, masking and serializing use another core while this
 * thread reads files and ships. Either way a file's events reach the sink in the order of its bytes.
 */
export interface PipelineStage {
  /**
   * Takes lines; resolves when the input may read on. Their events reach the sink in order, possibly
   * later (a worker); until the sink takes them, no more than a few batches of lines are taken.
   */
  push(lines: LineRecord[], now: number): Promise<void>;
  /** Multi-line timeouts: events with no new line since their timeout go to the sink. */
  tick(now: number): void;
  /** Resolves once everything taken so far, held multi-line events included, is with the sink. */
  drain(): Promise<void>;
  /** Events held by multi-line assembly (as last reported, for a worker). */
  readonly held: number;
  stats(): PipelineStats;
}

/**
 * Where the agent's pipelines run: in this thread, or in worker threads. Declared here, beside the
 * stages it hands out, so that pipelineHost.ts and worker/pipelineWorkers.ts (which both build one) do
 * not import each other.
 */
export interface PipelineHost {
  /** Pipeline worker threads running (0: every pipeline runs in the main thread). */
  readonly threads: number;
  /** The pipeline of `config.inputs[index]`, delivering to `sink`. Once per input. */
  stage(index: number, sink: PipelineSink): PipelineStage;
  /** Values masked so far by every pipeline, by detector or rule. */
  maskStats(): MaskStats;
  /** Stops the workers; call after every stage was drained. */
  close(): Promise<void>;
}

/** The pipeline in this thread: events are built while push() runs, then the sink is awaited. */
export function localPipelineStage(
  input: InputConfig,
  config: AgentConfig,
  masker: Masker,
  sink: PipelineSink,
  options: EnrichmentOptions,
): PipelineStage {
  const edge = createPipeline(input, config, {
    ...options,
    masker,
    onSkipped: (fileId, offset, next) => sink.skipped(fileId, offset, next),
  });
  // `parse: server` writes most events straight from the lines' bytes into an encoder's buffer, which
  // the sink copies into its batches at once (as it does a worker's).
  const encoder = input.parse === 'server' ? new RecordsEncoder() : undefined;
  return {
    async push(lines, now) {
      if (encoder !== undefined) {
        edge.push(lines, now, encoder);
        const { block } = encoder.finish();
        if (block.ends.length === 0) return;
        const taken = sink.encoded(block);
        encoder.recycle([block.bytes.buffer as ArrayBuffer]);
        await taken;
        return;
      }
      const out: ShipRecord[] = [];
      edge.push(lines, now, out);
      if (out.length > 0) await sink.records(out);
    },
    tick(now) {
      const out: ShipRecord[] = [];
      edge.tick(now, out);
      // A timer has nobody to push back on: the sink takes the events at once.
      if (out.length > 0) sink.recordsNow(out);
    },
    async drain() {
      const out: ShipRecord[] = [];
      edge.drain(out);
      if (out.length > 0) sink.recordsNow(out);
    },
    get held() {
      return edge.held;
    },
    stats: () => edge.stats(),
  };
}
