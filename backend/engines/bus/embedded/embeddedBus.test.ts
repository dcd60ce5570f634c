import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BusUnavailableError, type ConsumedRecord } from '../../../../core/ports/bus.ts';
import { waitFor } from '../../../../test/helpers/waitFor.ts';
import { type BusEvent, type EmbeddedBusOptions, openEmbeddedBus } from './embeddedBus.ts';
import { BusDirLockedError, type InvalidBusOptionsError, InvalidTopicNameError } from './errors.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function open(options: Partial<EmbeddedBusOptions> = {}) {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'sluice-bus-')));
  dirs.push(dir);
  const events: BusEvent[] = [];
  const bus = await openEmbeddedBus({ onEvent: (e) => events.push(e), ...options, dir });
  return { bus, dir, events };
}

const record = (key: string, n: number) => ({ key, value: Buffer.from(String(n)) });
const num = (r: ConsumedRecord) => Number(Buffer.from(r.value).toString());

describe('embedded bus', () => {
  it('keeps records and committed offsets across close and reopen', async () => {
    const first = await open();
    await first.bus.produce(
      't',
      Array.from({ length: 10 }, (_, i) => record('k', i)),
    );
    const seen: number[] = [];
    const c = await first.bus.consume({
      group: 'g',
      topics: ['t'],
      fromBeginning: true,
      handler: async (b) => {
        seen.push(...b.records.map(num));
      },
    });
    await waitFor('10 records', () => seen.length === 10);
    await c.stop();
    await first.bus.close();
    assert.ok((await readdir(first.dir)).includes('clean-shutdown'));

    const second = await open({ dir: first.dir });
    assert.ok(!(await readdir(first.dir)).includes('clean-shutdown'), 'marker removed while open');
    await second.bus.produce('t', [record('k', 10)]);
    const again: number[] = [];
    const everything: number[] = [];
    const g = await second.bus.consume({
      group: 'g',
      topics: ['t'],
      fromBeginning: true,
      handler: async (b) => {
        again.push(...b.records.map(num));
      },
    });
    const other = await second.bus.consume({
      group: 'other',
      topics: ['t'],
      fromBeginning: true,
      handler: async (b) => {
        everything.push(...b.records.map(num));
      },
    });
    await waitFor('both groups', () => again.length === 1 && everything.length === 11);
    assert.deepEqual(again, [10]);
    assert.deepEqual(
      everything,
      Array.from({ length: 11 }, (_, i) => i),
    );
    await g.stop();
    await other.stop();
    await second.bus.close();
  });

  it('resumes a group at the log start when retention passed its committed offset, and counts it', async () => {
    const { bus, events } = await open({ partitions: 1, segmentBytes: 1024, retention: { maxBytes: 2048 } });
    await bus.produce('t', [record('k', 0)]);
    const first = await bus.consume({
      group: 'slow',
      topics: ['t'],
      fromBeginning: true,
      handler: async () => {},
    });
    await waitFor('the first commit', async () => (await first.lag())[0]?.lag === 0n);
    await first.stop();
    for (let i = 1; i <= 100; i++) await bus.produce('t', [record('k', i)]);
    await bus.applyRetention();
    const seen: ConsumedRecord[] = [];
    const second = await bus.consume({
      group: 'slow',
      topics: ['t'],
      fromBeginning: true,
      handler: async (b) => {
        seen.push(...b.records);
      },
    });
    await waitFor('the newest record', () => seen.some((r) => num(r) === 100));
    assert.equal(bus.stats().offsetResets, 1);
    const reset = events.find((e) => e.type === 'offset-reset');
    assert.ok(reset?.type === 'offset-reset' && reset.from === 1 && reset.to > 1);
    assert.equal(Number(seen[0].offset), reset.to);
    assert.ok(bus.stats().segmentsDeleted > 0);
    await second.stop();
    await bus.close();
  });

  it("moves a leaving member's partitions to the member that stays", async () => {
    const { bus } = await open({ partitions: 4 });
    const seenA: number[] = [];
    const seenB: number[] = [];
    const a = await bus.consume({
      group: 'g',
      topics: ['t'],
      handler: async (b) => void seenA.push(...b.records.map(num)),
    });
    const b = await bus.consume({
      group: 'g',
      topics: ['t'],
      handler: async (x) => void seenB.push(...x.records.map(num)),
    });
    assert.equal((await a.lag()).length, 2);
    assert.equal((await b.lag()).length, 2);
    await b.stop();
    assert.equal((await a.lag()).length, 4);
    await bus.produce(
      't',
      Array.from({ length: 40 }, (_, i) => record(`key-${i}`, i)),
    );
    await waitFor('all 40 at the remaining member', () => seenA.length === 40);
    assert.deepEqual(seenB, []);
    await a.stop();
    await bus.close();
  });

  it("with fsync 'interval', acknowledges without fsync and fsyncs on the timer", async () => {
    const { bus } = await open({ fsync: 'interval', fsyncIntervalMs: 10 });
    await bus.produce('t', [record('k', 1)]);
    assert.equal(bus.stats().fsyncs, 0);
    await waitFor('the interval fsync', () => bus.stats().fsyncs > 0);
    await bus.close();
  });

  it('refuses a second open of the same directory', async () => {
    const { bus, dir } = await open();
    await assert.rejects(openEmbeddedBus({ dir }), BusDirLockedError);
    await bus.close();
  });

  it('is not ready after close, and produce then fails with BusUnavailableError', async () => {
    const { bus } = await open();
    assert.equal(await bus.ready(), true);
    await bus.close();
    assert.equal(await bus.ready(), false);
    await assert.rejects(bus.produce('t', [record('k', 1)]), BusUnavailableError);
  });

  it('refuses topic names that cannot be directories, and bad options by key', async () => {
    const { bus, dir } = await open();
    await assert.rejects(bus.ensureTopics(['../escape']), InvalidTopicNameError);
    await assert.rejects(bus.produce('..', [record('k', 1)]), InvalidTopicNameError);
    await bus.close();
    await assert.rejects(
      openEmbeddedBus({ dir, fsync: 'sometimes' as 'always', segmentBytes: 10 }),
      (err: InvalidBusOptionsError) =>
        err.issues.some((i) => i.startsWith('fsync')) && err.issues.some((i) => i.startsWith('segmentBytes')),
    );
  });

  it('keeps the partition count a topic was created with', async () => {
    const first = await open({ partitions: 2 });
    await first.bus.ensureTopics(['t']);
    await first.bus.close();
    const second = await open({ dir: first.dir, partitions: 8 });
    await second.bus.ensureTopics(['t', 'u']);
    const meta = async (t: string) =>
      JSON.parse(await readFile(join(first.dir, 'topics', t, 'topic.json'), 'utf8'));
    assert.deepEqual(await meta('t'), { partitions: 2 });
    assert.deepEqual(await meta('u'), { partitions: 8 });
    const c = await second.bus.consume({ group: 'g', topics: ['t'], handler: async () => {} });
    assert.equal((await c.lag()).length, 2);
    await c.stop();
    await second.bus.close();
  });
});
