import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createShipper } from '../../../agent/ship/shipper.ts';
import type { ShipRecord } from '../../../agent/ship/shipRecord.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { FakeGateway } from './fakeGateway.ts';
import { AckLedger, makeRecords, testConfig } from './records.ts';

const FAST_RETRY = { baseMs: 10, maxMs: 100 };

/** Offsets 0, 100, 200, … of `count` lines: what one file's events look like when nothing is lost. */
const allOffsets = (count: number) => Array.from({ length: count }, (_, i) => i * 100);

describe('gateway outage', () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-outage-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('spools while the gateway is down, then drains in order when it is back, losing nothing', async () => {
    const gateway = await new FakeGateway().start();
    await gateway.down();
    const stateDir = join(root, `state-${n++}`);
    const ledger = new AckLedger();
    const shipper = await createShipper(testConfig(gateway.url, stateDir, { batch: { max_events: 20 } }), {
      onAcked: ledger.onAcked,
      memoryBatches: 1,
      retry: FAST_RETRY,
    });
    const files = ['a', 'b', 'c', 'd'];
    await shipper.add(makeRecords(files, 100));
    shipper.flush().catch(() => undefined); // closes the open batches; settles once all is delivered

    await waitFor('batches to reach the spool', () => shipper.stats().spoolFiles >= 10);
    const spooled = (await readdir(join(stateDir, 'spool'))).filter((f) => f.endsWith('.batch'));
    assert.ok(spooled.length >= 10, `spool files on disk: ${spooled.length}`);
    assert.equal(shipper.stats().state, 'retrying');
    assert.equal(ledger.ranges.length, 0, 'nothing acknowledged while the gateway is down');

    await gateway.up();
    await shipper.flush();
    await shipper.close(1000);
    await gateway.down();

    for (const file of files) {
      assert.deepEqual(gateway.offsetsOf(file), allOffsets(100), `file ${file}: complete, once, in order`);
      assert.deepEqual(ledger.coverage(file), [[0, 100 * 100]]);
    }
    assert.deepEqual(await readdir(join(stateDir, 'spool')), [], 'spool drained');
  });

  it('stops taking events when the spool is full, and takes them again once the gateway is back', async () => {
    const gateway = await new FakeGateway().start();
    await gateway.down();
    const stateDir = join(root, `state-${n++}`);
    const ledger = new AckLedger();
    const spoolLimit = 8 * 1024;
    const shipper = await createShipper(
      testConfig(gateway.url, stateDir, { batch: { max_events: 20 }, spool: { max_bytes: spoolLimit } }),
      { onAcked: ledger.onAcked, memoryBatches: 1, retry: FAST_RETRY },
    );
    const records = makeRecords(['a'], 2000);
    let taken = 0;
    const reader = (async () => {
      // Like an input: hand over one chunk, wait for add() to settle, read on.
      for (let i = 0; i < records.length; i += 20) {
        await shipper.add(records.slice(i, i + 20));
        taken += 20;
      }
    })();

    await waitFor(
      'add() to block with the spool filling',
      () =>
        shipper.stats().blocked &&
        shipper.stats().state === 'retrying' &&
        shipper.stats().spoolBytes > spoolLimit / 2,
    );
    // Still held back a while later: the wait lasts as long as the outage; nothing is dropped to make room.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(taken < records.length / 2, `the reader was held back (${taken} of ${records.length} taken)`);
    assert.equal(shipper.stats().blocked, true);
    assert.ok(shipper.stats().spoolBytes <= spoolLimit, 'the spool stays within spool.max_bytes');
    assert.equal(ledger.ranges.length, 0);

    await gateway.up();
    await reader;
    await shipper.flush();
    await shipper.close(1000);
    await gateway.down();

    assert.deepEqual(gateway.offsetsOf('a'), allOffsets(2000), 'nothing lost, in order');
    assert.deepEqual(ledger.coverage('a'), [[0, 2000 * 100]]);
  });

  it('sends what an earlier run spooled after a restart, and acknowledges its ranges then', async () => {
    const gateway = await new FakeGateway().start();
    await gateway.down();
    const stateDir = join(root, `state-${n++}`);
    const firstLedger = new AckLedger();
    const config = testConfig(gateway.url, stateDir, { batch: { max_events: 20 } });
    const first = await createShipper(config, { onAcked: firstLedger.onAcked, retry: FAST_RETRY });
    await first.add(makeRecords(['a', 'b'], 100));
    const report = await first.close(500);
    assert.equal(report.kept, 0);
    assert.ok(report.spooled > 0);
    assert.equal(firstLedger.ranges.length, 0);

    await gateway.up();
    const secondLedger = new AckLedger();
    const second = await createShipper(config, { onAcked: secondLedger.onAcked, retry: FAST_RETRY });
    await second.flush();
    await second.close(1000);
    await gateway.down();

    for (const file of ['a', 'b']) {
      assert.deepEqual(gateway.offsetsOf(file), allOffsets(100), `file ${file} replayed in order`);
      assert.deepEqual(secondLedger.coverage(file), [[0, 100 * 100]]);
    }
    assert.deepEqual(await readdir(join(stateDir, 'spool')), []);
  });

  it('closes within its deadline while the gateway hangs, spooling what was not acknowledged', async () => {
    const gateway = await new FakeGateway().start();
    gateway.answer = () => 'hang';
    const stateDir = join(root, `state-${n++}`);
    const ledger = new AckLedger();
    const shipper = await createShipper(testConfig(gateway.url, stateDir, { batch: { max_events: 20 } }), {
      onAcked: ledger.onAcked,
    });
    const records: ShipRecord[] = makeRecords(['a', 'b'], 50);
    await shipper.add(records);
    await waitFor('a request to be in flight', () => gateway.requests.length > 0);

    const report = await shipper.close(500);
    await gateway.down();

    assert.equal(report.drained, false);
    assert.equal(report.kept, 0);
    assert.equal(ledger.ranges.length, 0, 'no batch was acknowledged, so none is checkpointed');
    const files = await readdir(join(stateDir, 'spool'));
    assert.ok(report.spooled >= 5, `${report.spooled} batches spooled`);
    assert.equal(files.length, report.spooled);
    await assert.rejects(shipper.add(records), { code: 'shipper_closed' });

    // The next start sends them all, those that were in flight included.
    const healthy = await new FakeGateway().start();
    const next = await createShipper(testConfig(healthy.url, stateDir), { onAcked: ledger.onAcked });
    await next.flush();
    await next.close(1000);
    await healthy.down();
    for (const file of ['a', 'b']) {
      assert.deepEqual(healthy.offsetsOf(file), allOffsets(50));
      assert.deepEqual(ledger.coverage(file), [[0, 50 * 100]]);
    }
  });

  it('sends again within the probe interval of the gateway coming back, however long its backoff', async () => {
    const gateway = await new FakeGateway().start();
    await gateway.down();
    const stateDir = join(root, `state-${n++}`);
    const ledger = new AckLedger();
    // Every retry waits the full 30 s (no jitter): only a probe can end the wait sooner.
    const shipper = await createShipper(
      testConfig(gateway.url, stateDir, { gateway: { probe_interval: 200 } }),
      { onAcked: ledger.onAcked, retry: { baseMs: 30_000, maxMs: 30_000, random: () => 1 } },
    );
    await shipper.add(makeRecords(['a'], 10));
    shipper.flush().catch(() => undefined);
    await waitFor('the first attempt to fail', () => shipper.stats().state === 'retrying');
    await gateway.up();
    const back = performance.now();
    await waitFor('the batch to be delivered', () => gateway.accepted.length === 10, { timeoutMs: 15_000 });
    const resumedMs = performance.now() - back;
    await shipper.close(1000);
    await gateway.down();
    assert.ok(gateway.probes > 0, 'the gateway was probed');
    assert.ok(resumedMs < 15_000, `resumed ${Math.round(resumedMs)} ms after the gateway was back`);
    assert.deepEqual(ledger.coverage('a'), [[0, 10 * 100]]);
  });

  it('does not probe while the gateway refuses the key: /readyz cannot tell that it is fixed', async () => {
    const gateway = await new FakeGateway().start();
    gateway.answer = () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'bad key' } } });
    const stateDir = join(root, `state-${n++}`);
    const shipper = await createShipper(
      testConfig(gateway.url, stateDir, { gateway: { probe_interval: 50 } }),
      { onAcked: () => undefined, retry: FAST_RETRY },
    );
    await shipper.add(makeRecords(['a'], 5));
    shipper.flush().catch(() => undefined);
    await waitFor('the batch to be refused', () => shipper.stats().state === 'misconfigured');
    await shipper.close(200);
    await gateway.down();
    assert.equal(gateway.probes, 0);
  });

  it('tells onSpooled which bytes the spool holds, once each batch is durably written', async () => {
    const gateway = await new FakeGateway().start();
    await gateway.down();
    const stateDir = join(root, `state-${n++}`);
    const acked = new AckLedger();
    const spooled = new AckLedger();
    const shipper = await createShipper(testConfig(gateway.url, stateDir, { batch: { max_events: 20 } }), {
      onAcked: acked.onAcked,
      onSpooled: spooled.onAcked,
      retry: FAST_RETRY,
    });
    await shipper.add(makeRecords(['a'], 100));
    const report = await shipper.close(300);
    assert.equal(report.kept, 0);
    assert.equal(acked.ranges.length, 0, 'the gateway acknowledged nothing');
    // Everything is in the spool at close, so every byte is accounted for: a restart sends the spool
    // and reads the file from its end, and no line goes out twice.
    assert.deepEqual(spooled.coverage('a'), [[0, 100 * 100]]);
  });
});
