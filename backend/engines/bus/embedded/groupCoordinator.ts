/**
 * Membership of one consumer group inside this process. Every join or leave rebalances: partitions that
 * change owner are first revoked and awaited (the old owner's handler finishes and its offset is
 * committed) and only then assigned, so no partition ever has two handlers at once.
 */
import { assignPartitions, type TopicPartition, tpKey } from './assignment.ts';
import type { GroupOffsets } from './groupOffsets.ts';

export interface GroupMember {
  readonly memberId: number;
  readonly topics: readonly string[];
  owned(): TopicPartition[];
  assign(partitions: TopicPartition[]): void;
  revoke(partitions: TopicPartition[]): Promise<void>;
}

export class GroupCoordinator {
  readonly offsets: GroupOffsets;
  private readonly partitionCount: (topic: string) => number;
  private readonly members: GroupMember[] = [];
  /** Rebalances run one at a time, in the order joins and leaves happened. */
  private queue: Promise<void> = Promise.resolve();

  constructor(offsets: GroupOffsets, partitionCount: (topic: string) => number) {
    this.offsets = offsets;
    this.partitionCount = partitionCount;
  }

  get size(): number {
    return this.members.length;
  }

  join(member: GroupMember): Promise<void> {
    this.members.push(member);
    return this.enqueue([]);
  }

  leave(member: GroupMember): Promise<void> {
    const i = this.members.indexOf(member);
    if (i >= 0) this.members.splice(i, 1);
    return this.enqueue([member]);
  }

  private enqueue(leaving: GroupMember[]): Promise<void> {
    const run = this.queue.then(() => this.rebalance(leaving));
    // The queue must survive a failed rebalance; the caller still sees the failure through `run`.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async rebalance(leaving: GroupMember[]): Promise<void> {
    const plan = assignPartitions(
      this.members.map((m) => ({ memberId: m.memberId, topics: m.topics })),
      this.partitionCount,
    );
    const revocations = leaving.map((m) => m.revoke(m.owned()));
    for (const m of this.members) {
      const keep = new Set((plan.get(m.memberId) ?? []).map(tpKey));
      revocations.push(m.revoke(m.owned().filter((tp) => !keep.has(tpKey(tp)))));
    }
    await Promise.all(revocations);
    // Revoked work is committed in memory, which the next owner reads; also make it durable now. If that
    // fails (reported as commit-failed), hand over anyway: the only risk is redelivery after a crash,
    // while leaving partitions unowned would stop consumption.
    await this.offsets.flush().catch(() => undefined);
    for (const m of this.members) m.assign(plan.get(m.memberId) ?? []);
  }
}
