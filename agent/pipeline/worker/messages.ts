import { Buffer } from 'node:buffer';
import type { MaskStats } from '../../../core/mask/index.ts';
import type { AgentConfig } from '../../config/schema.ts';
import { type LineRecord, lineRecord } from '../../inputs/lineRecord.ts';
import type { EncodedRecords, ShipRecord } from '../../ship/shipRecord.ts';
import type { EventSource } from '../eventBuilder.ts';
import type { Env } from '../kubernetes.ts';
import type { PipelineStats } from '../pipeline.ts';

/**
 * What the agent's main thread and an pipeline worker say to each other. Lines go one way as one array of
 * texts plus typed arrays for their positions; events come back as NDJSON bytes and typed arrays,
 * transferred rather than copied. Strings are cloned once; per-line objects never cross.
 */

/** The worker's start-up data: what its pipelines (one per input of `config`) are built from. */
export interface PipelineWorkerData {
  config: AgentConfig;
  env: Env | undefined;
  hostname: string | undefined;
}

const TRUNCATED_BIT = 1;
const PARTIAL_BIT = 2;

/** Every message to a worker is numbered per input; its answer carries the number back. */
export interface LinesMessage {
  kind: 'lines';
  input: number;
  seq: number;
  now: number;
  texts: string[];
  /** offset, next and the original byte length of a truncated line (else 0), per line. */
  ranges: Float64Array;
  /** TRUNCATED_BIT | PARTIAL_BIT, per line. */
  flags: Uint8Array;
  /** Runs of lines of one file (an input hands over one file's lines at a time, so usually one run). */
  sources: string[];
  fileIds: string[];
  runEnds: Uint32Array;
  /** Buffers of earlier answers the shipper has copied, for the worker to write into again. */
  recycled: ArrayBuffer[];
}

export interface TickMessage {
  kind: 'tick';
  input: number;
  seq: number;
  now: number;
}

export interface DrainMessage {
  kind: 'drain';
  input: number;
  seq: number;
  now: number;
}

export type ToWorker = LinesMessage | TickMessage | DrainMessage;

/** The events one message gave, and where the pipeline stands. Every message gets one. */
export interface RecordsMessage extends EncodedRecords {
  kind: 'records';
  input: number;
  /** The number of the message this answers. */
  seq: number;
  /** What this answers: a lines message (its window slot is free again), a drain, or a tick. */
  answers: ToWorker['kind'];
  /** Blank lines: `[offset, next)` pairs whose bytes nobody else will acknowledge, and their files. */
  skipped: Float64Array;
  skippedFileIds: string[];
  stats: PipelineStats;
  held: number;
  /** The worker's masker totals by detector or rule name (cumulative). */
  masked: MaskStats['masked'];
}

export interface FailedMessage {
  kind: 'failed';
  input: number;
  message: string;
}

export interface ReadyMessage {
  kind: 'ready';
}

export type FromWorker = RecordsMessage | FailedMessage | ReadyMessage;

/** One input's lines as a message, and the buffers to transfer with it. */
export function linesMessage(
  input: number,
  seq: number,
  lines: readonly LineRecord[],
  now: number,
  recycled: ArrayBuffer[],
): { message: LinesMessage; transfer: ArrayBuffer[] } {
  const n = lines.length;
  const texts = new Array<string>(n);
  const ranges = new Float64Array(3 * n);
  const flags = new Uint8Array(n);
  const sources: string[] = [];
  const fileIds: string[] = [];
  const runEnds: number[] = [];
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    texts[i] = line.text;
    ranges[3 * i] = line.offset;
    ranges[3 * i + 1] = line.next;
    if (line.truncated !== undefined) {
      ranges[3 * i + 2] = line.truncated.originalBytes;
      flags[i] = TRUNCATED_BIT;
    }
    if (line.partial) flags[i] |= PARTIAL_BIT;
    const run = fileIds.length - 1;
    if (run < 0 || fileIds[run] !== line.fileId || sources[run] !== line.source) {
      if (run >= 0) runEnds.push(i);
      fileIds.push(line.fileId);
      sources.push(line.source);
    }
  }
  if (n > 0) runEnds.push(n);
  const ends = Uint32Array.from(runEnds);
  return {
    message: {
      kind: 'lines',
      input,
      seq,
      now,
      texts,
      ranges,
      flags,
      sources,
      fileIds,
      runEnds: ends,
      recycled,
    },
    transfer: [ranges.buffer, flags.buffer, ends.buffer, ...recycled],
  };
}

/** The line records a lines message carries, as the input made them. */
export function linesOf(message: LinesMessage): LineRecord[] {
  const { texts, ranges, flags, sources, fileIds, runEnds } = message;
  const lines = new Array<LineRecord>(texts.length);
  let run = 0;
  for (let i = 0; i < texts.length; i++) {
    while (i >= runEnds[run]) run++;
    const f = flags[i];
    lines[i] = lineRecord(
      sources[run],
      fileIds[run],
      ranges[3 * i],
      ranges[3 * i + 1],
      texts[i],
      f & TRUNCATED_BIT ? { originalBytes: ranges[3 * i + 2] } : undefined,
      (f & PARTIAL_BIT) !== 0,
    );
  }
  return lines;
}

/** A block's first buffer, and the most kept for reuse: a few blocks are in flight at a time. */
const INITIAL_BYTES = 512 * 1024;
const POOLED_BUFFERS = 8;

/**
 * Writes records as NDJSON bytes into one ArrayBuffer per block, each event's JSON as it comes (so no
 * string outlives its event), and their ranges after the bytes: one buffer to transfer, which the
 * main thread sends back once the shipper copied it (recycle), so blocks cost no allocation in steady
 * state on either side.
 */
export class RecordsEncoder {
  private pool: ArrayBuffer[] = [];
  private buffer: ArrayBuffer = new ArrayBuffer(0);
  private bytes: Buffer = Buffer.alloc(0);
  private used = 0;
  private count = 0;
  private ends = new Uint32Array(1024);
  private ranges = new Float64Array(2048);
  private fileIds: string[] = [];
  private runEnds: number[] = [];

  /** Buffers the main thread is done with. */
  recycle(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) if (this.pool.length < POOLED_BUFFERS) this.pool.push(buffer);
  }

  /** Appends one record (the shape Pipeline hands out). */
  push(record: ShipRecord): void {
    const json = record.json;
    if (this.bytes.length - this.used < json.length * 3 + 1) this.grow(json.length * 3 + 1);
    this.used += this.bytes.write(json, this.used);
    this.bytes[this.used++] = 10;
    this.added(record.fileId, record.offset, record.next);
  }

  /** WrappedOut.pushWrapped (eventBuilder.ts): the bytes are copied as they are, each `"` escaped. */
  pushWrapped(head: string, from: EventSource & { bytes: Uint8Array }, tail: string): boolean {
    const { bytes, start, end } = from;
    const room = (head.length + tail.length) * 3 + 2 * (end - start) + 3;
    if (this.bytes.length - this.used < room) this.grow(room);
    const out = this.bytes;
    let u = this.used + out.write(head, this.used);
    out[u++] = 34;
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      // Anything JSON.stringify would escape other than `"`: not written (`used` has not moved).
      if (c < 32 || c > 126 || c === 92) return false;
      if (c === 34) out[u++] = 92;
      out[u++] = c;
    }
    out[u++] = 34;
    u += out.write(tail, u);
    out[u++] = 10;
    this.used = u;
    this.added(from.fileId, from.offset, from.next);
    return true;
  }

  private added(fileId: string, offset: number, next: number): void {
    const i = this.count++;
    if (i === this.ends.length) this.growIndex();
    this.ends[i] = this.used;
    this.ranges[2 * i] = offset;
    this.ranges[2 * i + 1] = next;
    const run = this.fileIds.length - 1;
    if (run < 0 || this.fileIds[run] !== fileId) {
      if (run >= 0) this.runEnds.push(i);
      this.fileIds.push(fileId);
    }
  }

  /** The records pushed since the last finish(), as a block, and the buffer to transfer with it. */
  finish(): { block: EncodedRecords; transfer: ArrayBuffer[] } {
    const n = this.count;
    if (n > 0) this.runEnds.push(n);
    // The ranges and ends go after the bytes, 8-byte aligned, in the same buffer.
    const rangesAt = (this.used + 7) & ~7;
    const endsAt = rangesAt + 16 * n;
    const total = endsAt + 4 * n;
    if (total > this.buffer.byteLength) this.grow(total - this.used);
    const buffer = this.buffer;
    const ranges = new Float64Array(buffer, rangesAt, 2 * n);
    ranges.set(this.ranges.subarray(0, 2 * n));
    const ends = new Uint32Array(buffer, endsAt, n);
    ends.set(this.ends.subarray(0, n));
    const block: EncodedRecords = {
      bytes: new Uint8Array(buffer, 0, this.used),
      ends,
      ranges,
      fileIds: this.fileIds,
      runEnds: Uint32Array.from(this.runEnds),
    };
    this.buffer = new ArrayBuffer(0);
    this.bytes = Buffer.alloc(0);
    this.used = 0;
    this.count = 0;
    this.fileIds = [];
    this.runEnds = [];
    return { block, transfer: n === 0 ? [] : [buffer] };
  }

  /** Makes room for `needed` more bytes: a pooled buffer, or a new one twice as large. */
  private grow(needed: number): void {
    const want = this.used + needed;
    let next: ArrayBuffer | undefined;
    // Pooled buffers too small for this block are dropped: blocks of one input are alike in size.
    while (next === undefined && this.pool.length > 0) {
      const candidate = this.pool.pop() as ArrayBuffer;
      if (candidate.byteLength >= want) next = candidate;
    }
    next ??= new ArrayBuffer(Math.max(INITIAL_BYTES, want, this.buffer.byteLength * 2));
    const bytes = Buffer.from(next);
    this.bytes.copy(bytes, 0, 0, this.used);
    this.buffer = next;
    this.bytes = bytes;
  }

  private growIndex(): void {
    const ends = new Uint32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
    const ranges = new Float64Array(this.ranges.length * 2);
    ranges.set(this.ranges);
    this.ranges = ranges;
  }
}
