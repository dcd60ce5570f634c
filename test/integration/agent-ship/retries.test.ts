import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createShipper, type Shipper } from '../../../agent/ship/shipper.ts';
import { MetricsRegistry } from '../../../core/metrics/registry.ts';
import { FakeGateway } from './fakeGateway.ts';
import { AckLedger, makeRecords, testConfig } from './records.ts';

describe('retries', () => {
  let root: string;
  let n = 0;
  const open: Array<{ shipper: Shipper; gateway: FakeGateway }> = [];
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-retry-'));
  });
  after(async () => {
    for (const { shipper, gateway } of open) {
      await shipper.close(500);
      await gateway.down();
    }
    await rm(root, { recursive: true, force: true });
  });

  async function setup(answer: FakeGateway['answer'], ledger = new AckLedger()) {
    const gateway = await new FakeGateway().start();
    gateway.answer = answer;
    const metrics = new MetricsRegistry();
    const shipper = await createShipper(testConfig(gateway.url, join(root, `state-${n++}`)), {
      onAcked: ledger.onAcked,
      metrics,
      retry: { baseMs: 10, maxMs: 50 },
    });
    open.push({ shipper, gateway });
    return { gateway, ledger, metrics, shipper };
  }

  it('waits at least Retry-After after a 503 before sending the batch again', async () => {
    const { gateway, ledger, shipper, metrics } = await setup((batch) =>
      batch.index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 202 },
    );
    await shipper.add(makeRecords(['a'], 10));
    await shipper.flush();

    assert.equal(gateway.requests.length, 2);
    assert.deepEqual(gateway.requests[1].events, gateway.requests[0].events, 'the same batch, sent again');
    const waited = gateway.requests[1].at - gateway.requests[0].at;
    // Own backoff is at most 50 ms here, so only Retry-After explains a wait this long.
    assert.ok(waited >= 950, `retried after ${waited} ms`);
    assert.deepEqual(ledger.coverage('a'), [[0, 1000]]);
    assert.match(await metrics.render(), /sluice_agent_ship_retries_total\{reason="http_503"\} 1/);
  });

  it('acknowledges nothing until the gateway answers 202', async () => {
    const ledger = new AckLedger();
    const acksSeenByGateway: number[] = [];
    const { gateway, shipper } = await setup((batch) => {
      acksSeenByGateway.push(ledger.ranges.length);
      return batch.index < 3 ? { status: batch.index === 1 ? 429 : 500 } : { status: 202 };
    }, ledger);
    await shipper.add(makeRecords(['a'], 10));
    await shipper.flush();

    assert.equal(gateway.requests.length, 4);
    assert.deepEqual(acksSeenByGateway, [0, 0, 0, 0], 'no ack while the batch was refused');
    assert.deepEqual(ledger.coverage('a'), [[0, 1000]]);
  });

  it('retries a batch whose connection was dropped mid-request', async () => {
    const { gateway, ledger, shipper, metrics } = await setup((batch) =>
      batch.index === 0 ? 'destroy' : { status: 202 },
    );
    await shipper.add(makeRecords(['a'], 10));
    await shipper.flush();

    assert.equal(gateway.requests.length, 2);
    assert.equal(gateway.accepted.length, 10);
    assert.deepEqual(ledger.coverage('a'), [[0, 1000]]);
    assert.match(await metrics.render(), /sluice_agent_ship_retries_total\{reason="network"\} 1/);
  });

  it('keeps the order of each file although other files are retried', async () => {
    // Every third request fails: lanes retry independently, each in order.
    const { gateway, ledger, shipper } = await setup((batch) =>
      batch.index % 3 === 0 ? { status: 503 } : { status: 202 },
    );
    const files = ['a', 'b', 'c', 'd', 'e'];
    await shipper.add(makeRecords(files, 100));
    await shipper.flush();

    for (const file of files) {
      const offsets = gateway.offsetsOf(file);
      assert.deepEqual(
        offsets,
        Array.from({ length: 100 }, (_, i) => i * 100),
        `file ${file} arrived complete and in order`,
      );
      assert.deepEqual(ledger.coverage(file), [[0, 100 * 100]]);
    }
  });

  it('falls back to gzip when the gateway refuses zstd (415)', async () => {
    const { gateway, ledger, shipper } = await setup((batch) =>
      batch.encoding === 'zstd' ? { status: 415 } : { status: 202 },
    );
    await shipper.add(makeRecords(['a'], 120));
    await shipper.flush();

    assert.equal(gateway.accepted.length, 120);
    assert.equal(gateway.requests.at(-1)?.encoding, 'gzip');
    assert.deepEqual(ledger.coverage('a'), [[0, 120 * 100]]);
  });
});
