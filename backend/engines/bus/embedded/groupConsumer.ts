/**
 * A Consumer of the embedded bus: one member of a group, running one partition worker per partition the
 * group coordinator gives it.
 */
import type { ConsumeOptions, Consumer } from '../../../../core/ports/bus.ts';
import { type TopicPartition, tpKey } from './assignment.ts';
import type { BusEvent } from './busEvents.ts';
import type { GroupCoordinator, GroupMember } from './groupCoordinator.ts';
import type { PartitionLog } from './partitionLog.ts';
import { type PartitionWorker, startPartitionWorker } from './partitionWorker.ts';

export const DEFAULT_MAX_BATCH_RECORDS = 500;

let nextMemberId = 1;

interface Running {
  tp: TopicPartition;
  log: PartitionLog;
  worker: PartitionWorker;
}

export class GroupConsumer implements Consumer, GroupMember {
  readonly memberId = nextMemberId++;
  readonly topics: readonly string[];
  private readonly coordinator: GroupCoordinator;
  private readonly partitionLog: (tp: TopicPartition) => PartitionLog;
  private readonly options: Required<Pick<ConsumeOptions, 'handler' | 'fromBeginning' | 'maxBatchRecords'>> &
    Pick<ConsumeOptions, 'idle'>;
  private readonly onAssigned: ConsumeOptions['onAssigned'];
  private readonly emit: (event: BusEvent) => void;
  private readonly onStopped: (consumer: GroupConsumer) => void;
  private readonly running = new Map<string, Running>();
  private stopping: Promise<void> | undefined;

  constructor(
    coordinator: GroupCoordinator,
    options: ConsumeOptions,
    partitionLog: (tp: TopicPartition) => PartitionLog,
    emit: (event: BusEvent) => void,
    onStopped: (consumer: GroupConsumer) => void,
  ) {
    this.coordinator = coordinator;
    this.onStopped = onStopped;
    this.topics = [...new Set(options.topics)];
    this.partitionLog = partitionLog;
    this.emit = emit;
    this.options = {
      handler: options.handler,
      fromBeginning: options.fromBeginning ?? false,
      maxBatchRecords: Math.max(1, options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS),
      idle: options.idle,
    };
    this.onAssigned = options.onAssigned;
  }

  owned(): TopicPartition[] {
    return [...this.running.values()].map((r) => r.tp);
  }

  assign(partitions: TopicPartition[]): void {
    if (this.stopping !== undefined) return;
    // Before the new workers start: the handler must hear of its partitions before their first batch.
    const fresh = partitions.filter((tp) => !this.running.has(tpKey(tp)));
    this.onAssigned?.([...this.owned(), ...fresh]);
    for (const tp of fresh) {
      const key = tpKey(tp);
      if (this.running.has(key)) continue;
      const log = this.partitionLog(tp);
      const worker = startPartitionWorker({
        log,
        offsets: this.coordinator.offsets,
        options: this.options,
        emit: this.emit,
      });
      this.running.set(key, { tp, log, worker });
    }
  }

  async revoke(partitions: TopicPartition[]): Promise<void> {
    await Promise.all(
      partitions.map(async (tp) => {
        const key = tpKey(tp);
        const r = this.running.get(key);
        if (r === undefined) return;
        await r.worker.stop();
        this.running.delete(key);
      }),
    );
  }

  /**
   * Leaves the group: the coordinator revokes this member's partitions (awaiting the handler in flight,
   * committing what it finished) and hands them to the others; then the commits are made durable, and a
   * failure to do so is reported here.
   */
  stop(): Promise<void> {
    this.stopping ??= this.coordinator
      .leave(this)
      .then(() => this.coordinator.offsets.flush())
      .finally(() => this.onStopped(this));
    return this.stopping;
  }

  async lag(): Promise<Array<{ topic: string; partition: number; lag: bigint }>> {
    return [...this.running.values()].map(({ tp, log, worker }) => ({
      topic: tp.topic,
      partition: tp.partition,
      lag: BigInt(Math.max(0, log.endOffset - worker.position())),
    }));
  }
}
