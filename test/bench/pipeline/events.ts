/**
 * Any number of realistic events, a chunk at a time, for the pipeline and query benchmarks. Each chunk is
 * one call of `realisticEvents` (backend/sinks/archive/testing/realisticEvents.ts: the shapes of
 * test/fixtures/logs/ with varied ids, times and values), with its own seed and start time, so memory
 * stays bounded whatever the total.
 *
 * `realisticEvents` derives agent-style ids from the event's position in its call, so two calls would
 * repeat them (and the search stores would keep only one of each): ids of agent-read events are derived
 * again here from the chunk number as well, the same way (`uuidFromName`) and so as incompressible. Gateway
 * ids (UUIDv7 from the seeded generator and the event time) are unique already.
 */
import { realisticEvents } from '../../../backend/sinks/archive/testing/realisticEvents.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { uuidFromName } from '../../../core/ids/uuidv7.ts';

const HOUR = 3_600_000;

export interface EventStreamOptions {
  total: number;
  /** Events per chunk (one `realisticEvents` call, spanning about an hour). */
  chunkSize: number;
  /** Event times fall in [from, to); chunk starts are spread evenly so that the last one ends by `to`. */
  from: number;
  to: number;
  /** Tenants in turn, one per chunk. */
  tenants: readonly string[];
  seed?: number;
}

export interface EventChunk {
  index: number;
  /** Position of the chunk's first event in the stream. */
  first: number;
  events: LogEvent[];
}

export function chunkCount(options: Pick<EventStreamOptions, 'total' | 'chunkSize'>): number {
  return Math.ceil(options.total / options.chunkSize);
}

/**
 * The chunks in order. With `to - from` = chunks × 1 h the chunks follow each other (event time grows
 * within each tenant's stream, as a processor sees it); with less, chunks overlap in time.
 */
export function* eventChunks(options: EventStreamOptions): Generator<EventChunk> {
  const chunks = chunkCount(options);
  const spread = Math.max(0, options.to - options.from - HOUR);
  const seed = options.seed ?? 1;
  for (let c = 0; c < chunks; c++) {
    const first = c * options.chunkSize;
    const count = Math.min(options.chunkSize, options.total - first);
    const start = options.from + (chunks === 1 ? 0 : Math.floor((c * spread) / (chunks - 1)));
    const events = realisticEvents({
      count,
      tenant: options.tenants[c % options.tenants.length],
      start,
      seed: seed * 1_000_003 + c,
    });
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (event.service !== 'api-gateway') event.id = uuidFromName(`s${seed}:c${c}:${i}`);
    }
    yield { index: c, first, events };
  }
}
