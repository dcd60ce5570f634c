/**
 * The behaviour every Bus adapter must have, as node:test suites. The engine registry's contract runs
 * (backend/engines/contracts.ts) call runBusContract for every bus adapter: the embedded log in the unit
 * tests, Kafka against a real broker in test/integration/engines/. Engine-neutral on purpose: no files, no
 * timings, only the port, and waits by polling with generous timeouts.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Bus, ConsumedBatch, ConsumeOptions, Consumer } from '../../../../core/ports/bus.ts';
import { waitFor } from '../../../../test/helpers/waitFor.ts';
import { gate } from './gate.ts';
import { byKey, type Numbered, numbered, parse, range } from './records.ts';

/** A fresh bus per test. Topics it creates must have at least two partitions (the group-split test). */
export interface BusUnderTest {
  bus: Bus;
  /** A topic name unique to this test (prefixes, run ids), derived from a short suffix. */
  topic: (suffix: string) => string;
  /** Closes the bus and removes whatever the test created. */
  cleanup: () => Promise<void>;
}

/** Produces seq `from`..`to`-1 for each key, interleaving keys, `callSize` records per produce call. */
async function produceNumbered(bus: Bus, topic: string, keys: string[], to: number, callSize = 25, from = 0) {
  const all = range(from, to).flatMap((seq) => keys.map((key) => numbered(key, seq, { seq: String(seq) })));
  for (let i = 0; i < all.length; i += callSize) await bus.produce(topic, all.slice(i, i + callSize));
}

export function runBusContract(name: string, makeBus: () => Promise<BusUnderTest>): void {
  describe(`Bus contract: ${name}`, () => {
    let t: BusUnderTest;
    const consumers: Consumer[] = [];
    // Topic names are per test (t.topic makes them unique per run); group names derive from them, so a
    // rerun against a long-lived broker never inherits committed offsets.
    let n = 0;

    /** Starts a consumer that records every batch its handler completed (and, optionally, fails some). */
    async function collect(
      options: Omit<ConsumeOptions, 'handler'> & { handler?: (batch: ConsumedBatch) => Promise<void> },
    ) {
      const seen: Numbered[] = [];
      const consumer = await t.bus.consume({
        ...options,
        handler: async (batch) => {
          await options.handler?.(batch);
          for (const r of batch.records) seen.push(parse(r));
        },
      });
      consumers.push(consumer);
      return { consumer, seen };
    }

    beforeEach(async () => {
      t = await makeBus();
      n++;
    });

    afterEach(async () => {
      await Promise.allSettled(consumers.splice(0).map((c) => c.stop()));
      await t.cleanup();
    });

    it('is ready while open', async () => {
      assert.equal(await t.bus.ready(), true);
    });

    it('ensureTopics is idempotent, also when called concurrently', async () => {
      const topic = t.topic(`ensure-${n}`);
      await t.bus.ensureTopics([topic]);
      await t.bus.ensureTopics([topic, topic]);
      await Promise.all([t.bus.ensureTopics([topic]), t.bus.ensureTopics([topic])]);
      await t.bus.produce(topic, [numbered('k', 0)]);
      const { seen } = await collect({ group: `${topic}.group`, topics: [topic], fromBeginning: true });
      await waitFor('the record', () => seen.length === 1);
      assert.deepEqual(seen, [{ key: 'k', seq: 0 }]);
    });

    it('delivers every produced record once, in order per key, with key, headers and partition', async () => {
      const topic = t.topic(`order-${n}`);
      await t.bus.ensureTopics([topic]);
      const keys = range(0, 6).map((i) => `tenant-${i}/svc`);
      await produceNumbered(t.bus, topic, keys, 50);
      const partitionOfKey = new Map<string, Set<number>>();
      const { seen } = await collect({
        group: `${topic}.group`,
        topics: [topic],
        fromBeginning: true,
        handler: async (batch) => {
          assert.equal(batch.lastOffset, batch.records[batch.records.length - 1].offset);
          for (const r of batch.records) {
            assert.equal(r.topic, topic);
            assert.equal(r.partition, batch.partition);
            assert.equal(r.headers?.seq, String(parse(r).seq));
            assert.equal(r.key, parse(r).key);
            const set = partitionOfKey.get(r.key) ?? new Set();
            set.add(r.partition);
            partitionOfKey.set(r.key, set);
          }
        },
      });
      await waitFor('all 300 records', () => seen.length >= 300);
      const perKey = byKey(seen);
      for (const key of keys) assert.deepEqual(perKey.get(key), range(0, 50), `records of ${key}`);
      for (const [key, partitions] of partitionOfKey)
        assert.equal(partitions.size, 1, `${key} on one partition`);
    });

    it('resumes a restarted group after its committed offset, even with fromBeginning', async () => {
      const topic = t.topic(`resume-${n}`);
      const group = `${topic}.group`;
      await t.bus.ensureTopics([topic]);
      await produceNumbered(t.bus, topic, ['a', 'b'], 20);
      const first = await collect({ group, topics: [topic], fromBeginning: true });
      await waitFor('the first 40 records', () => first.seen.length >= 40);
      await first.consumer.stop();
      await produceNumbered(t.bus, topic, ['a', 'b'], 50, 25, 20);
      const second = await collect({ group, topics: [topic], fromBeginning: true });
      await waitFor('the 60 records produced after the restart', () => second.seen.length >= 60);
      assert.deepEqual(byKey(second.seen).get('a'), range(20, 50));
      assert.deepEqual(byKey(second.seen).get('b'), range(20, 50));
    });

    it('commits a held-back position with its metadata and resumes a restarted group from it', async () => {
      const topic = t.topic(`held-${n}`);
      const group = `${topic}.group`;
      await t.bus.ensureTopics([topic]);
      await produceNumbered(t.bus, topic, ['a'], 30);
      const seen: Numbered[] = [];
      let partition = -1;
      const first = await t.bus.consume({
        group,
        topics: [topic],
        fromBeginning: true,
        handler: async (batch) => {
          partition = batch.partition;
          for (const r of batch.records) seen.push(parse(r));
          // Hold the commit at seq 10 (offset 10 of the single key's partition), whatever was read.
          return { nextOffset: 10n, metadata: 'clock=42' };
        },
      });
      consumers.push(first);
      await waitFor('all 30 records', () => seen.length >= 30);
      await first.stop();
      assert.deepEqual(await t.bus.committed(group, topic, partition), {
        nextOffset: 10n,
        metadata: 'clock=42',
      });
      assert.equal(await t.bus.committed(`${group}.never`, topic, partition), null);
      const second = await collect({ group, topics: [topic], fromBeginning: true });
      await waitFor('the 20 records after the held-back position', () => second.seen.length >= 20);
      assert.deepEqual(byKey(second.seen).get('a'), range(10, 30));
    });

    it('hands a quiet partition read to its end to the idle handler and commits what it returns', async () => {
      const topic = t.topic(`idle-${n}`);
      const group = `${topic}.group`;
      await t.bus.ensureTopics([topic]);
      await produceNumbered(t.bus, topic, ['a'], 12);
      let partition = -1;
      let read = 0;
      let batchRunning = false;
      const calls: Array<{ partition: number; nextOffset: bigint; overlapped: boolean }> = [];
      const consumer = await t.bus.consume({
        group,
        topics: [topic],
        fromBeginning: true,
        handler: async (batch) => {
          batchRunning = true;
          partition = batch.partition;
          read += batch.records.length;
          await new Promise((r) => setTimeout(r, 20));
          batchRunning = false;
          return { nextOffset: 0n, metadata: 'held' }; // holds everything back, as open windows do
        },
        idle: {
          afterMs: 200,
          handler: async (at) => {
            calls.push({ partition: at.partition, nextOffset: at.nextOffset, overlapped: batchRunning });
            return { nextOffset: at.nextOffset, metadata: 'released' };
          },
        },
      });
      consumers.push(consumer);
      await waitFor('all 12 records', () => read >= 12);
      await waitFor('the idle handler', () => calls.some((c) => c.nextOffset === 12n));
      await waitFor(
        'the idle commit',
        async () => (await t.bus.committed(group, topic, partition))?.metadata === 'released',
      );
      assert.deepEqual(await t.bus.committed(group, topic, partition), {
        nextOffset: 12n,
        metadata: 'released',
      });
      const mine = calls.filter((c) => c.partition === partition);
      assert.ok(
        mine.every((c) => !c.overlapped),
        'never beside a batch of the partition',
      );
      assert.ok(
        calls.every((c) => c.partition === partition || c.nextOffset === 0n),
        'other partitions are empty',
      );
    });

    it('redelivers a batch whose handler failed and never skips it', async () => {
      const topic = t.topic(`retry-${n}`);
      await t.bus.ensureTopics([topic]);
      await produceNumbered(t.bus, topic, ['a'], 30);
      let failuresLeft = 2;
      let attemptsWith10 = 0;
      const { seen } = await collect({
        group: `${topic}.group`,
        topics: [topic],
        fromBeginning: true,
        maxBatchRecords: 4,
        handler: async (batch) => {
          if (!batch.records.some((r) => parse(r).seq === 10)) return;
          attemptsWith10++;
          if (failuresLeft-- > 0) throw new Error('sink unavailable');
        },
      });
      await waitFor('all 30 records handled', () => seen.length >= 30);
      assert.deepEqual(byKey(seen).get('a'), range(0, 30));
      assert.equal(attemptsWith10, 3);
    });

    it('gives every group every record', async () => {
      const topic = t.topic(`groups-${n}`);
      await t.bus.ensureTopics([topic]);
      await produceNumbered(t.bus, topic, ['a', 'b', 'c'], 20);
      const one = await collect({ group: `${topic}.one`, topics: [topic], fromBeginning: true });
      const two = await collect({ group: `${topic}.two`, topics: [topic], fromBeginning: true });
      await waitFor('60 records in both groups', () => one.seen.length >= 60 && two.seen.length >= 60);
      for (const { seen } of [one, two]) {
        const perKey = byKey(seen);
        for (const key of ['a', 'b', 'c']) assert.deepEqual(perKey.get(key), range(0, 20));
      }
    });

    it('splits the partitions between members of one group, telling each which it owns', async () => {
      const topic = t.topic(`split-${n}`);
      const group = `${topic}.group`;
      await t.bus.ensureTopics([topic]);
      // Each member's latest onAssigned list, and any batch handed over for a partition not in it.
      const assigned = [new Set<number>(), new Set<number>()];
      const strays: string[] = [];
      const member = (i: number) =>
        collect({
          group,
          topics: [topic],
          fromBeginning: true,
          onAssigned: (partitions) => {
            assigned[i] = new Set(partitions.map((tp) => tp.partition));
          },
          handler: async (batch) => {
            if (!assigned[i].has(batch.partition))
              strays.push(`member ${i} got partition ${batch.partition}`);
          },
        });
      const a = await member(0);
      const b = await member(1);
      // lag() lists the partitions a member owns: wait until the group has settled with both owning some.
      await waitFor('both members to own partitions', async () => {
        const [la, lb] = [await a.consumer.lag(), await b.consumer.lag()];
        return la.length > 0 && lb.length > 0;
      });
      const owned = [...(await a.consumer.lag()), ...(await b.consumer.lag())].map((l) => l.partition);
      assert.equal(new Set(owned).size, owned.length, 'no partition owned twice');
      const keys = range(0, 40).map((i) => `key-${i}`);
      await produceNumbered(t.bus, topic, keys, 5, 100);
      await waitFor('all 200 records', () => a.seen.length + b.seen.length >= 200);
      assert.ok(a.seen.length > 0 && b.seen.length > 0, 'both members got records');
      assert.deepEqual(strays, [], 'every batch is of a partition the member was told it owns');
      for (const [i, c] of [a, b].entries())
        assert.deepEqual(
          [...assigned[i]].sort(),
          (await c.consumer.lag()).map((l) => l.partition).sort(),
          `member ${i}'s last onAssigned names what it owns`,
        );
      const perKey = byKey([...a.seen, ...b.seen]);
      for (const key of keys) assert.deepEqual(perKey.get(key), range(0, 5), `records of ${key}`);
    });

    it('reports lag while records wait, falling to zero once caught up', async () => {
      const topic = t.topic(`lag-${n}`);
      await t.bus.ensureTopics([topic]);
      await produceNumbered(t.bus, topic, ['a'], 40);
      const hold = gate();
      const { consumer, seen } = await collect({
        group: `${topic}.group`,
        topics: [topic],
        fromBeginning: true,
        maxBatchRecords: 5,
        handler: () => hold.promise,
      });
      const total = async () => (await consumer.lag()).reduce((sum, l) => sum + l.lag, 0n);
      await waitFor('lag to show the waiting records', async () => (await total()) > 0n);
      hold.open();
      await waitFor('all 40 records', () => seen.length >= 40);
      await waitFor('lag to reach zero', async () => (await total()) === 0n);
      assert.equal(await total(), 0n);
    });

    it('stop() waits for the handler in flight and commits its batch', async () => {
      const topic = t.topic(`stop-${n}`);
      const group = `${topic}.group`;
      await t.bus.ensureTopics([topic]);
      await produceNumbered(t.bus, topic, ['a'], 10);
      const started = gate();
      const release = gate();
      let finished = false;
      const first = await collect({
        group,
        topics: [topic],
        fromBeginning: true,
        handler: async () => {
          started.open();
          await release.promise;
          finished = true;
        },
      });
      await started.promise;
      const stopping = first.consumer.stop();
      setImmediate(release.open);
      await stopping;
      assert.equal(finished, true, 'stop resolved only after the handler finished');
      const handled = new Set(first.seen.map((r) => r.seq));
      assert.ok(handled.size > 0);
      await t.bus.produce(topic, [numbered('a', 100)]);
      const again = await collect({ group, topics: [topic], fromBeginning: true });
      await waitFor('the record produced after stop', () => again.seen.some((r) => r.seq === 100));
      const redelivered = again.seen.filter((r) => handled.has(r.seq));
      assert.deepEqual(redelivered, [], 'records of the batch finished during stop were committed');
    });
  });
}
