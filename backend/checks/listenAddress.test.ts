import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { checkBindable, listenAddressesOf, listenAddressOf } from './listenAddress.ts';

const LISTEN = {
  gateway: '127.0.0.1:8080',
  query: '127.0.0.1:8081',
  metrics: '127.0.0.1:9465',
  processes: 1,
};

describe('the addresses --check-config checks', () => {
  it("takes the first serving role's address in table order, else the metrics address", () => {
    const all = new Set(['alerts', 'query', 'processor', 'gateway']);
    assert.deepEqual(listenAddressOf(all, LISTEN), { key: 'listen.gateway', address: '127.0.0.1:8080' });
    assert.deepEqual(listenAddressOf(new Set(['retention', 'query']), LISTEN), {
      key: 'listen.query',
      address: '127.0.0.1:8081',
    });
    assert.deepEqual(listenAddressOf(new Set(['processor', 'indexer']), LISTEN), {
      key: 'listen.metrics',
      address: '127.0.0.1:9465',
    });
  });

  it('adds the OTLP/gRPC listener for a process with the gateway role, when it is set', () => {
    const grpc = { ...LISTEN, otlp_grpc: '0.0.0.0:4317' };
    assert.deepEqual(listenAddressesOf(new Set(['gateway', 'indexer']), grpc), [
      { key: 'listen.gateway', address: '127.0.0.1:8080' },
      { key: 'listen.otlp_grpc', address: '0.0.0.0:4317' },
    ]);
    assert.deepEqual(listenAddressesOf(new Set(['query']), grpc), [
      { key: 'listen.query', address: '127.0.0.1:8081' },
    ]);
    assert.deepEqual(listenAddressesOf(new Set(['gateway']), LISTEN), [
      { key: 'listen.gateway', address: '127.0.0.1:8080' },
    ]);
  });

  it('fails an address in use, naming the key to change', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await checkBindable(`127.0.0.1:${port}`, 'listen.otlp_grpc');
      assert.equal(result.ok, false);
      assert.match(result.detail, /already in use: .*change listen\.otlp_grpc/);
    } finally {
      taken.close();
    }
  });
});
