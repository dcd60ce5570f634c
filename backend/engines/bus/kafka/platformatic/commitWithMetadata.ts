import { type Consumer, offsetCommitV8 } from '@platformatic/kafka';

/**
 * Commits one partition's position with its metadata, as this member of the group. The client's own
 * commit() sends no metadata, and the processor keeps its window clocks there (core/ports/bus.ts
 * CommitRequest), so the request is the protocol's OffsetCommit (v8, Kafka ≥ 2.3), sent with the
 * client's public API on its connection to the group coordinator, fenced by its generation and member id.
 */
export async function commitWithMetadata(
  client: Consumer<string, Buffer, string, string>,
  group: string,
  topic: string,
  partition: number,
  nextOffset: bigint,
  metadata: string | null,
): Promise<void> {
  const coordinator = client.coordinatorId ?? (await client.findGroupCoordinator());
  const connection = (await client.connectToBrokers([coordinator])).get(coordinator);
  if (connection === undefined)
    throw new Error(`no connection to the group coordinator (broker ${coordinator})`);
  await offsetCommitV8.api.async(connection, group, client.generationId, client.memberId ?? '', null, [
    {
      name: topic,
      partitions: [
        {
          partitionIndex: partition,
          committedOffset: nextOffset,
          committedLeaderEpoch: -1,
          committedMetadata: metadata,
        },
      ],
    },
  ]);
}
