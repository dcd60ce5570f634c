import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createShipper } from '../../../agent/ship/shipper.ts';
import { listen } from '../../../core/http/listen.ts';
import { TEST_KEYS, testGateway } from '../../helpers/gatewayFixture.ts';
import { RecordingBus } from '../../helpers/recordingBus.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { AckLedger, makeRecords, testConfig } from './records.ts';

describe('shipping over TLS', () => {
  let root: string;
  let certFile: string;
  let bus: RecordingBus;
  let server: Awaited<ReturnType<typeof listen>>;
  let n = 0;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-tls-'));
    certFile = join(root, 'cert.pem');
    const keyFile = join(root, 'key.pem');
    // A throwaway self-signed certificate for 127.0.0.1.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    bus = new RecordingBus();
    server = await listen(testGateway(bus).app.fetch, {
      address: '127.0.0.1:0',
      tls: { certFile, keyFile },
      hasKeys: true,
    });
  });
  after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  async function ship(tls: { ca_file?: string; insecure_skip_verify: boolean }) {
    const ledger = new AckLedger();
    const config = testConfig(server.url, join(root, `state-${n++}`), {
      gateway: { api_key: TEST_KEYS.ingest, tls },
    });
    const shipper = await createShipper(config, {
      onAcked: ledger.onAcked,
      retry: { baseMs: 10, maxMs: 50 },
    });
    const before = bus.values('logs.raw').length;
    await shipper.add(makeRecords(['a'], 10));
    return { ledger, shipper, delivered: () => bus.values('logs.raw').length - before };
  }

  it('trusts a gateway whose certificate is signed by gateway.tls.ca_file', async () => {
    assert.ok(server.url.startsWith('https://'));
    const { ledger, shipper, delivered } = await ship({ ca_file: certFile, insecure_skip_verify: false });
    await shipper.flush();
    await shipper.close(1000);
    assert.equal(delivered(), 10);
    assert.deepEqual(ledger.coverage('a'), [[0, 1000]]);
  });

  it('refuses a certificate it cannot verify, and keeps the batch', async () => {
    const { ledger, shipper, delivered } = await ship({ insecure_skip_verify: false });
    shipper.flush().catch(() => undefined);
    await waitFor('the TLS failure', () => shipper.stats().state === 'retrying');
    const report = await shipper.close(500);
    assert.equal(delivered(), 0);
    assert.equal(ledger.ranges.length, 0);
    assert.equal(report.spooled, 1);
  });

  it('accepts any certificate with insecure_skip_verify', async () => {
    const { shipper, delivered } = await ship({ insecure_skip_verify: true });
    await shipper.flush();
    await shipper.close(1000);
    assert.equal(delivered(), 10);
  });
});
