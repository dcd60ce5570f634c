import * as v from 'valibot';
import type { SpoolEntry } from '../spool/diskSpool.ts';
import type { SpoolKey } from '../spool/spoolFile.ts';
import type { Encoding } from './compression.ts';
import type { AckRange } from './shipRecord.ts';

/** What the shipper needs to know about a batch besides its bytes; also what a spool file stores. */
export interface BatchMeta {
  encoding: Encoding;
  events: number;
  rawBytes: number;
  /** File id that picks the lane (see Batcher), so a replayed batch keeps its place in its file's order. */
  route: string;
  /**
   * Source bytes to acknowledge once the gateway has this batch. The last part of a split batch carries
   * the whole batch's ranges and the other parts none: a lane finishes its batches strictly in order,
   * so when the last part is through, every part is.
   */
  acks: AckRange[];
}

/** A batch waiting in a lane: in memory, on disk, or on its way from one to the other. */
export interface QueuedBatch {
  key: SpoolKey;
  meta: BatchMeta;
  /** Compressed body, when held in memory. */
  body: Buffer | undefined;
  /** True while `body` counts against the lane's memory budget (a body read back from disk does not). */
  counted: boolean;
  /** Pending while the body is being compressed. */
  ready: Promise<void> | undefined;
  /** Set once the batch is durably in the spool. */
  spooled: SpoolEntry<BatchMeta> | undefined;
  /** Pending while the batch is being written to the spool. */
  spilling: Promise<void> | undefined;
}

const batchMetaSchema = v.object({
  encoding: v.picklist(['zstd', 'gzip', 'identity']),
  events: v.pipe(v.number(), v.integer(), v.minValue(1)),
  rawBytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  route: v.string(),
  acks: v.array(
    v.object({
      fileId: v.string(),
      offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
      next: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  ),
});

/** Checks the metadata of a spool file left by an earlier run; throws when it is not a batch's. */
export function readBatchMeta(meta: unknown): BatchMeta {
  return v.parse(batchMetaSchema, meta);
}
