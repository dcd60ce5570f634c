/**
 * Which member of a consumer group reads which partition. Each partition of a subscribed topic goes to
 * the subscribed member with the fewest partitions so far (ties: the member that joined first), so the
 * split is balanced, deterministic, and every partition has exactly one owner.
 */

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface Subscription {
  memberId: number;
  topics: readonly string[];
}

export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

/** `members` in join order; returns each member's partitions. */
export function assignPartitions(
  members: readonly Subscription[],
  partitionCount: (topic: string) => number,
): Map<number, TopicPartition[]> {
  const plan = new Map<number, TopicPartition[]>();
  for (const m of members) plan.set(m.memberId, []);
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const candidates = members.filter((m) => m.topics.includes(topic));
    for (let partition = 0; partition < partitionCount(topic); partition++) {
      let owner = candidates[0];
      for (const c of candidates) {
        if (plan.get(c.memberId)!.length < plan.get(owner.memberId)!.length) owner = c;
      }
      plan.get(owner.memberId)!.push({ topic, partition });
    }
  }
  return plan;
}
