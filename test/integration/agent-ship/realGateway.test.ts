import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createShipper, type ShipperConfig } from '../../../agent/ship/shipper.ts';
import { listen } from '../../../core/http/listen.ts';
import { MetricsRegistry } from '../../../core/metrics/registry.ts';
import type { GatewayLimits } from '../../../gateway/app.ts';
import { TEST_KEYS, testGateway } from '../../helpers/gatewayFixture.ts';
import { RecordingBus } from '../../helpers/recordingBus.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { AckLedger, makeRecords, testConfig } from './records.ts';

/** The real gateway app on a real port, storing into an in-memory bus (the gateway is not under test). */
async function startGateway(limits: Partial<GatewayLimits> = {}) {
  const bus = new RecordingBus();
  const gateway = testGateway(bus, { limits });
  const server = await listen(gateway.app.fetch, { address: '127.0.0.1:0', hasKeys: true });
  return { bus, url: server.url, close: server.close };
}

describe('shipping to the real gateway', () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-ship-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const config = (url: string, overrides: Parameters<typeof testConfig>[2] = {}): ShipperConfig =>
    testConfig(url, join(root, `state-${n++}`), {
      ...overrides,
      gateway: { api_key: TEST_KEYS.ingest, ...overrides.gateway },
    });

  for (const compression of ['zstd', 'gzip', 'none'] as const) {
    it(`delivers every event with compression ${compression}, and acknowledges exactly what was sent`, async () => {
      const gw = await startGateway();
      const ledger = new AckLedger();
      const shipper = await createShipper(config(gw.url, { gateway: { compression } }), {
        onAcked: ledger.onAcked,
      });
      const records = makeRecords(['a', 'b', 'c'], 200);
      await shipper.add(records);
      await shipper.flush();
      await shipper.close(2000);
      await gw.close();

      const stored = gw.bus.values('logs.raw');
      assert.deepEqual(stored.map((e) => e.id).sort(), records.map((r) => JSON.parse(r.json).id).sort());
      assert.ok(
        stored.every((e) => e.tenant === 'acme'),
        'the key was sent and accepted',
      );
      for (const file of ['a', 'b', 'c']) assert.deepEqual(ledger.coverage(file), [[0, 200 * 100]]);
    });
  }

  it('halves batches the gateway finds too large until they fit (413), losing nothing', async () => {
    const gw = await startGateway({ maxRecords: 7 });
    const ledger = new AckLedger();
    const metrics = new MetricsRegistry();
    const shipper = await createShipper(config(gw.url, { batch: { max_events: 40 } }), {
      onAcked: ledger.onAcked,
      metrics,
    });
    const records = makeRecords(['a'], 200);
    await shipper.add(records);
    await shipper.flush();
    await shipper.close(2000);
    await gw.close();

    const offsets = gw.bus.values('logs.raw').map((e) => (e.attrs as { offset: number }).offset);
    assert.deepEqual(
      offsets,
      records.map((r) => r.offset),
      'every event once, in order',
    );
    assert.deepEqual(ledger.coverage('a'), [[0, 200 * 100]]);
    assert.match(await metrics.render(), /sluice_agent_ship_splits_total [1-9]/);
  });

  it('counts events the gateway refuses one by one as delivered-but-rejected, and moves on', async () => {
    const gw = await startGateway();
    const ledger = new AckLedger();
    const metrics = new MetricsRegistry();
    const shipper = await createShipper(config(gw.url), { onAcked: ledger.onAcked, metrics });
    await shipper.add([
      { json: '{"message":"fine","id":"ok-1"}', fileId: 'a', offset: 0, next: 10 },
      { json: '{"level":"info","id":"no-message"}', fileId: 'a', offset: 10, next: 20 },
      { json: '{"message":"fine too","id":"ok-2"}', fileId: 'a', offset: 20, next: 30 },
    ]);
    await shipper.flush();
    await shipper.close(2000);
    await gw.close();

    assert.deepEqual(
      gw.bus.values('logs.raw').map((e) => e.id),
      ['ok-1', 'ok-2'],
    );
    // Resending the refused record would be refused again, so its bytes are acknowledged too.
    assert.deepEqual(ledger.coverage('a'), [[0, 30]]);
    assert.match(await metrics.render(), /sluice_agent_ship_rejected_events_total\{reason="invalid"\} 1/);
  });

  it('keeps the data and reports a misconfiguration when the gateway refuses the key', async () => {
    const gw = await startGateway();
    const ledger = new AckLedger();
    const metrics = new MetricsRegistry();
    const cfg = config(gw.url, { gateway: { api_key: 'not-a-key' } });
    const shipper = await createShipper(cfg, { onAcked: ledger.onAcked, metrics, memoryBatches: 1 });
    await shipper.add(makeRecords(['a'], 200));
    // Nothing is ever acknowledged, so flush() is still waiting when close() comes.
    const flushed = assert.rejects(shipper.flush(), { code: 'shipper_closed' });
    await waitFor('the 401 to be noticed', () => shipper.stats().state === 'misconfigured');
    assert.match(await metrics.render(), /sluice_agent_ship_misconfigured 1/);
    const report = await shipper.close(1000);
    await flushed;
    await gw.close();

    assert.equal(gw.bus.values('logs.raw').length, 0);
    assert.equal(ledger.ranges.length, 0, 'nothing acknowledged, so the input keeps its checkpoints');
    assert.equal(report.kept, 0);
    const spooled = await readdir(join(cfg.state_dir, 'spool'));
    assert.equal(spooled.length, 4, 'all four batches kept in the spool for the next start');
  });
});
