import { UnavailableError } from './unavailable.ts';

/**
 * Bus port: an ordered, partitioned, durable log of records (Kafka, or the embedded log in standalone).
 * Delivery is at-least-once: a consumer handler may see a record again after a crash, so every sink is
 * idempotent by event id.
 */

export interface BusRecord {
  /** Partitioning key (tenant + service for logs.raw); records with one key keep their order. */
  key: string;
  /** The payload, usually one event as JSON. */
  value: Uint8Array;
  headers?: Record<string, string>;
}

export interface ConsumedRecord extends BusRecord {
  topic: string;
  partition: number;
  offset: bigint;
  /** Append time in ms since the epoch. */
  timestamp: number;
}

/** One batch of records from one partition, handed to a consumer's handler in offset order. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  /** Offset of the last record in the batch; committed after the handler resolves. */
  lastOffset: bigint;
}

export interface ConsumeOptions {
  group: string;
  topics: string[];
  /** Where a group with no committed offset starts. */
  fromBeginning?: boolean;
  /** Largest number of records in one batch. */
  maxBatchRecords?: number;
  /**
   * Called with each batch; offsets are committed only after the returned promise resolves. Resolving
   * with nothing commits the whole batch; resolving with a CommitRequest commits that position instead
   * (held back, for state that is not yet safe in a sink) and stores its metadata with it.
   */
  handler: (batch: ConsumedBatch) => Promise<undefined | CommitRequest>;
  /**
   * Called for a partition this consumer owns that is read to its end and got no new record for
   * `afterMs`, and again every `afterMs` while it stays so; never while a batch of that partition is being
   * handled. A CommitRequest it returns is committed like a batch's (never past the position read): how
   * state held back by a quiet partition (open windows) is released by processing time.
   */
  idle?: IdleOptions;
  /**
   * Called each time the group gives this member its partitions (at the start and after every
   * rebalance) with all it owns now, before any batch of them is handled. What the consumer kept for a
   * partition not listed belongs to the new owner, who reads it again from the committed offset.
   */
  onAssigned?: (partitions: ReadonlyArray<{ topic: string; partition: number }>) => void;
}

export interface IdleOptions {
  afterMs: number;
  handler: (partition: IdlePartition) => Promise<undefined | CommitRequest>;
}

/** A partition read to its end: `nextOffset` is the offset after the last record handed to the handler. */
export interface IdlePartition {
  topic: string;
  partition: number;
  nextOffset: bigint;
}

/** A position to commit that may lag the batch, and opaque state saved atomically with it. */
export interface CommitRequest {
  /** The next offset a restarted consumer of this group reads: every record before it is done. */
  nextOffset: bigint;
  /** Stored with the offset (e.g. window clocks) and read back with `committed()`; keep it under 4 KiB. */
  metadata?: string;
}

/** What a group has committed for one partition. */
export interface CommittedPosition {
  nextOffset: bigint;
  metadata: string | null;
}

export interface Consumer {
  /** Stops fetching, waits for the handler in flight, commits what it finished, and leaves the group. */
  stop(): Promise<void>;
  /** Records behind the end of each partition this consumer owns (for the lag metric). */
  lag(): Promise<Array<{ topic: string; partition: number; lag: bigint }>>;
}

export interface Bus {
  /** Creates the topics if missing (idempotent). */
  ensureTopics(topics: string[]): Promise<void>;
  /**
   * Appends records and resolves only once they are durable (Kafka acks=all; embedded log fsynced).
   * Rejects with BusUnavailableError when the records may not have been stored.
   */
  produce(topic: string, records: BusRecord[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<Consumer>;
  /** The group's committed position of a partition, or null when it has never committed there. */
  committed(group: string, topic: string, partition: number): Promise<CommittedPosition | null>;
  /** True when the bus answers; used by /readyz. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Thrown when the bus cannot take or serve records right now; callers answer 503 with Retry-After. */
export class BusUnavailableError extends UnavailableError {
  constructor(message: string, retryAfterSeconds = 5, options?: ErrorOptions) {
    super('bus_unavailable', 'the bus', message, retryAfterSeconds, options);
    this.name = 'BusUnavailableError';
  }
}
