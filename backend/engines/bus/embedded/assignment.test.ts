import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignPartitions, type TopicPartition, tpKey } from './assignment.ts';

const counts: Record<string, number> = { a: 4, b: 3 };
const count = (topic: string) => counts[topic];

function owners(plan: Map<number, TopicPartition[]>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [member, tps] of plan)
    for (const tp of tps) out.set(tpKey(tp), [...(out.get(tpKey(tp)) ?? []), member]);
  return out;
}

describe('partition assignment', () => {
  it('gives each partition of a subscribed topic exactly one owner, balanced', () => {
    const plan = assignPartitions(
      [
        { memberId: 1, topics: ['a', 'b'] },
        { memberId: 2, topics: ['a', 'b'] },
      ],
      count,
    );
    const o = owners(plan);
    assert.equal(o.size, 7);
    for (const list of o.values()) assert.equal(list.length, 1);
    const sizes = [...plan.values()].map((l) => l.length).sort();
    assert.deepEqual(sizes, [3, 4]);
  });

  it('only assigns a topic to members subscribed to it', () => {
    const plan = assignPartitions(
      [
        { memberId: 1, topics: ['a'] },
        { memberId: 2, topics: ['b'] },
      ],
      count,
    );
    assert.ok(plan.get(1)!.every((tp) => tp.topic === 'a'));
    assert.ok(plan.get(2)!.every((tp) => tp.topic === 'b'));
    assert.equal(plan.get(1)!.length, 4);
  });

  it('gives a lone member everything and extra members nothing to share beyond the partitions', () => {
    assert.equal(assignPartitions([{ memberId: 1, topics: ['a'] }], count).get(1)!.length, 4);
    const crowd = assignPartitions(
      Array.from({ length: 6 }, (_, i) => ({ memberId: i, topics: ['a'] })),
      count,
    );
    assert.deepEqual(
      [...crowd.values()].map((l) => l.length),
      [1, 1, 1, 1, 0, 0],
    );
  });
});
