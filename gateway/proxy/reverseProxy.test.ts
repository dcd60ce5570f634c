import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createKeyRing } from '../../core/auth/apiKeys.ts';
import { listen } from '../../core/http/listen.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { TEST_LIMITS } from '../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../test/helpers/recordingBus.ts';
import { createGateway, type Gateway } from '../app.ts';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  bytes: number;
}

function upstream(seen: Seen[], behaviour: { delayMs?: number } = {}): Promise<Server> {
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, bytes });
      setTimeout(() => {
        if (req.url?.startsWith('/orders/big') || req.url?.startsWith('/big')) {
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            connection: 'keep-alive',
            'x-upstream': '1',
          });
          res.end(Buffer.alloc(3 * 1024 * 1024, 1));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ got: req.headers['x-correlation-id'], bytes }));
      }, behaviour.delayMs ?? 0);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

describe('reverse proxy with correlation IDs', () => {
  const seenOrders: Seen[] = [];
  const seenSlow: Seen[] = [];
  let orders: Server;
  let slow: Server;
  let bus: RecordingBus;
  let gateway: Gateway;
  let server: Awaited<ReturnType<typeof listen>>;

  before(async () => {
    orders = await upstream(seenOrders);
    slow = await upstream(seenSlow, { delayMs: 500 });
    bus = new RecordingBus();
    gateway = createGateway({
      bus,
      rawTopic: 'logs.raw',
      keys: createKeyRing([]),
      limits: TEST_LIMITS,
      log: silentLogger,
      proxy: {
        routes: [
          { prefix: '/orders', upstream: urlOf(orders), timeoutMs: 2000, tenant: 'edge', service: 'gateway' },
          { prefix: '/slow', upstream: urlOf(slow), timeoutMs: 100, tenant: 'edge', service: 'slow' },
          {
            prefix: '/down',
            upstream: 'http://127.0.0.1:1',
            timeoutMs: 1000,
            tenant: 'edge',
            service: 'down',
          },
          {
            prefix: '/api/stripped',
            upstream: urlOf(orders),
            timeoutMs: 1000,
            stripPrefix: true,
            tenant: 'edge',
            service: 'stripped',
          },
        ],
      },
    });
    server = await listen(gateway.app.fetch, { address: '127.0.0.1:0', hasKeys: false });
  });

  after(async () => {
    await gateway.close();
    await server.close();
    orders.close();
    slow.close();
  });

  async function accessEvents() {
    await gateway.accessLog?.flush();
    return bus.values('logs.raw');
  }

  it('keeps a valid incoming X-Correlation-ID, passes it upstream and returns it', async () => {
    const res = await fetch(`${server.url}/orders/42?x=1`, { headers: { 'x-correlation-id': 'req-abc.1' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-correlation-id'), 'req-abc.1');
    assert.deepEqual(await res.json(), { got: 'req-abc.1', bytes: 0 });
    assert.equal(seenOrders.at(-1)?.path, '/orders/42?x=1');
  });

  it('mints a UUIDv7 when none or an unsafe one comes in', async () => {
    for (const headers of [{}, { 'x-correlation-id': '<script>alert(1)</script>' }]) {
      const res = await fetch(`${server.url}/orders/1`, { headers });
      const id = res.headers.get('x-correlation-id') ?? '';
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      assert.equal(((await res.json()) as { got: string }).got, id);
    }
  });

  it('records one access event per request with method, path, status, duration, bytes, upstream and ids', async () => {
    const res = await fetch(`${server.url}/orders/7`, {
      method: 'POST',
      body: 'hello',
      headers: {
        'x-correlation-id': 'cid-access-1',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    });
    await res.text();
    const events = await accessEvents();
    const e = events.find((x) => x.correlation_id === 'cid-access-1');
    assert.ok(e, 'access event stored');
    assert.equal(e.service, 'gateway');
    assert.equal(e.tenant, 'edge');
    assert.equal(e.trace_id, '4bf92f3577b34da6a3ce929d0e0e4736');
    const attrs = e.attrs as Record<string, unknown>;
    assert.equal(attrs['http.method'], 'POST');
    assert.equal(attrs['http.path'], '/orders/7');
    assert.equal(attrs['http.status'], 200);
    assert.equal(attrs['http.request_bytes'], 5);
    assert.ok(Number(attrs['http.response_bytes']) > 0);
    assert.equal(attrs.upstream, urlOf(orders));
    assert.equal(typeof attrs.duration_ms, 'number');
  });

  it("files access events under the route's tenant only, saying whether the correlation ID was the client's", async () => {
    await (
      await fetch(`${server.url}/orders/8`, { headers: { 'x-correlation-id': 'globex-trace-1' } })
    ).text();
    await (await fetch(`${server.url}/orders/9`)).text();
    const events = await accessEvents();
    const claimed = events.find((x) => x.correlation_id === 'globex-trace-1');
    assert.equal(claimed?.tenant, 'edge', 'never the tenant whose trace the ID names');
    assert.equal((claimed?.attrs as Record<string, unknown> | undefined)?.['correlation.source'], 'client');
    const minted = events.find((x) => (x.attrs as Record<string, unknown>)['http.path'] === '/orders/9');
    assert.equal((minted?.attrs as Record<string, unknown> | undefined)?.['correlation.source'], 'gateway');
  });

  it('streams large bodies both ways', async () => {
    const upload = Buffer.alloc(5 * 1024 * 1024, 7);
    const res = await fetch(`${server.url}/orders/upload`, { method: 'PUT', body: upload });
    assert.equal(((await res.json()) as { bytes: number }).bytes, upload.length);
    const down = await fetch(`${server.url}/orders/big`);
    assert.equal((await down.arrayBuffer()).byteLength, 3 * 1024 * 1024);
  });

  it('does not forward hop-by-hop headers, nor those named in Connection', async () => {
    // fetch() will not send a Connection header, so use node:http for this one.
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${server.url}/orders/h`, {
        headers: { connection: 'keep-alive, x-private', 'x-private': 'secret', 'x-keep': 'yes' },
      });
      req.on('response', (res) => res.resume().on('end', () => resolve()));
      req.on('error', reject);
      req.end();
    });
    const seen = seenOrders.at(-1);
    assert.equal(seen?.headers['x-private'], undefined);
    assert.equal(seen?.headers['x-keep'], 'yes');
    assert.ok(seen?.headers['x-forwarded-for']);
  });

  it('strips the prefix when configured', async () => {
    await (await fetch(`${server.url}/api/stripped/items`)).text();
    assert.equal(seenOrders.at(-1)?.path, '/items');
  });

  it('answers 502 for an unreachable upstream and 504 for a slow one, still with the correlation ID', async () => {
    const down = await fetch(`${server.url}/down/x`, { headers: { 'x-correlation-id': 'cid-down' } });
    assert.equal(down.status, 502);
    assert.equal(down.headers.get('x-correlation-id'), 'cid-down');
    assert.equal(((await down.json()) as { error: { code: string } }).error.code, 'upstream_unavailable');
    const timeout = await fetch(`${server.url}/slow/x`);
    assert.equal(timeout.status, 504);
    await timeout.text();
    const events = await accessEvents();
    assert.ok(events.some((e) => e.correlation_id === 'cid-down' && e.level === 'error'));
  });
});
