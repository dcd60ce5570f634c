import { createMasker, type Masker } from '../../core/mask/index.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import type { ShipRecord } from '../ship/shipRecord.ts';
import { createAssembly, type OnEvent } from './assembly.ts';
import { createEnrichment, type EnrichmentOptions } from './enrichment.ts';
import { type BuildCounts, createEventBuilder, createEventWriter, type WrappedOut } from './eventBuilder.ts';

type InputConfig = AgentConfig['inputs'][number];

export interface PipelineStats {
  /** Events handed on (records returned). */
  events: number;
  /** Lines that did not fit the input's format and were kept as plain messages. */
  parseErrors: number;
  /** Empty events left out (blank lines); their bytes are reported through onSkipped. */
  skipped: number;
}

/**
 * Where a pipeline appends its records: an array, or an encoder that writes each one's JSON into a
 * buffer at once, so no record outlives its line (and `parse: server` lines can go there as bytes).
 */
export interface RecordOut extends WrappedOut {
  push(record: ShipRecord): unknown;
}

export interface Pipeline {
  /** Turns lines into records ready to ship, appended to `out` in the order of the source bytes. */
  push(lines: readonly LineRecord[], now: number, out: RecordOut): void;
  /** Appends the multi-line events that had no new line for their timeout by `now`. */
  tick(now: number, out: RecordOut): void;
  /** Appends every event still held (shutdown, end of stdin). */
  drain(out: RecordOut): void;
  /** Events held by multi-line assembly now. */
  readonly held: number;
  /** Totals since start. */
  stats(): PipelineStats;
}

export interface PipelineDeps extends EnrichmentOptions {
  /** One masker for the whole agent (its stats are the agent's); one from `config.mask` when absent. */
  masker?: Masker;
  /**
   * Source bytes that produce no event (blank lines). They are not shipped, so nobody else acknowledges
   * them: the caller acknowledges them itself, or the checkpoint would stop in front of them for good.
   */
  onSkipped?: (fileId: string, offset: number, next: number) => void;
}

/**
 * The processing of one input at the edge, per line: multi-line assembly, parsing by `format`,
 * normalizing to the event of contracts.md §1, the stable id, masking, enrichment, and serializing the
 * event once into the JSON line the shipper sends as is.
 *
 * Checkpoints never pass a line held in assembly: checkpoints move only over acknowledged bytes, held
 * lines are not shipped yet, and the acknowledgement tracker only moves over a contiguous prefix.
 */
export function createPipeline(input: InputConfig, config: AgentConfig, deps: PipelineDeps = {}): Pipeline {
  const masker = deps.masker ?? createMasker(config.mask);
  const enrichment = createEnrichment(config, input, deps);
  const counts: BuildCounts = { parseErrors: 0 };
  const builderOptions = { masker, enrichment, idScope: enrichment.defaults.host, counts };
  const build = createEventBuilder(input, builderOptions);
  const write = createEventWriter(input, builderOptions);
  const assembly = createAssembly(input);
  const onSkipped = deps.onSkipped;
  let events = 0;
  let skipped = 0;

  // One callback for the pipeline's life; `out` and `observedMs` are set per call instead of closing
  // over them anew for every batch.
  let out: RecordOut = [];
  let observedMs = 0;
  const onEvent: OnEvent = (text, from) => {
    if (text.length === 0) {
      skipped++;
      onSkipped?.(from.fileId, from.offset, from.next);
      return;
    }
    events++;
    if (write?.(text, from, observedMs, out) === true) return;
    out.push({
      json: build(text, from, observedMs),
      fileId: from.fileId,
      offset: from.offset,
      next: from.next,
    });
  };

  return {
    push(lines, now, into) {
      out = into;
      observedMs = now;
      for (let i = 0; i < lines.length; i++) assembly.push(lines[i], now, onEvent);
    },
    tick(now, into) {
      out = into;
      observedMs = now;
      assembly.tick(now, onEvent);
    },
    drain(into) {
      out = into;
      observedMs = Date.now();
      assembly.drain(onEvent);
    },
    get held() {
      return assembly.held;
    },
    stats() {
      return { events, parseErrors: counts.parseErrors, skipped };
    },
  };
}
