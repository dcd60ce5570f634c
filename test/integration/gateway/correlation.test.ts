import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { freePort } from '../../helpers/freePort.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { cleanUp } from './harness/cleanup.ts';
import { type InProcessServer, type StoredEvent, startInProcessServer } from './harness/inProcessServer.ts';
import { startToyService, type ToyService } from './harness/toyService.ts';

const REPO = join(import.meta.dirname, '../../..');
const EXAMPLE = join(REPO, 'examples/toy-services');
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LogLine {
  service: string;
  correlation_id: string | null;
  message: string;
  order_id?: string;
}

/**
 * The correlation example end to end: a client → gateway → orders → gateway → payments, with the gateway
 * started from examples/toy-services/sluice.yaml and both services as their own processes.
 */
describe('correlation IDs across two services behind the gateway (examples/toy-services)', () => {
  let dir: string;
  let gateway: InProcessServer;
  let orders: ToyService;
  let payments: ToyService;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-gw-correlation-'));
    const [ordersPort, paymentsPort] = [await freePort(), await freePort()];
    gateway = await startInProcessServer(join(EXAMPLE, 'sluice.yaml'), {
      env: {
        GATEWAY_LISTEN: '127.0.0.1:0',
        SLUICE_DATA: dir,
        ORDERS_URL: `http://127.0.0.1:${ordersPort}`,
        PAYMENTS_URL: `http://127.0.0.1:${paymentsPort}`,
      },
      roles: ['gateway'], // the proxy and its access events are under test, not the workers
    });
    [orders, payments] = await Promise.all([
      startToyService('orders', {
        PORT: String(ordersPort),
        GATEWAY_URL: gateway.url,
        LOG_FILE: join(dir, 'logs', 'orders.log'),
      }),
      startToyService('payments', {
        PORT: String(paymentsPort),
        LOG_FILE: join(dir, 'logs', 'payments.log'),
      }),
    ]);
  });

  after(() =>
    cleanUp(
      () => orders?.stop(),
      () => payments?.stop(),
      () => gateway?.stop(),
      () => dir && rm(dir, { recursive: true, force: true }),
    ),
  );

  async function logLines(service: 'orders' | 'payments'): Promise<LogLine[]> {
    const text = await readFile(join(dir, 'logs', `${service}.log`), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as LogLine);
  }

  /** Places an order through the gateway; returns the correlation id the client got back. */
  async function placeOrder(orderId: string, headers: Record<string, string> = {}): Promise<string> {
    const res = await fetch(`${gateway.url}/orders/${orderId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ amount: 42.5 }),
    });
    const body = (await res.json()) as { status: string };
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.status, 'paid', 'orders reached payments through the gateway');
    const id = res.headers.get('x-correlation-id');
    assert.ok(id, 'the response carries X-Correlation-ID');
    return id;
  }

  /** Both hops' access events, both services' log lines: all under `id`. */
  async function assertFollowedEndToEnd(id: string, orderId: string) {
    const access = (
      await gateway.waitForEvents(
        `the access events of both hops of ${id}`,
        (e) => e.correlation_id === id && e.attrs.kind === 'access',
        2,
      )
    ).map((e) => e.event);
    assert.deepEqual(
      access
        .map(
          (e: StoredEvent) =>
            `${e.service} ${e.attrs['http.method']} ${e.attrs['http.path']} ${e.attrs['http.status']}`,
        )
        .sort(),
      [`orders POST /orders/${orderId} 201`, 'payments POST /payments/charge 200'],
      'one access event per proxied hop, each carrying the id',
    );

    await waitFor(
      `both services to log ${id}`,
      async () => {
        const [o, p] = [await logLines('orders'), await logLines('payments')];
        return o.filter((l) => l.correlation_id === id).length >= 2 && p.some((l) => l.correlation_id === id);
      },
      { timeoutMs: 10_000 },
    );
    const ordersLines = (await logLines('orders')).filter((l) => l.order_id === orderId);
    const paymentsLines = (await logLines('payments')).filter((l) => l.order_id === orderId);
    assert.deepEqual(
      ordersLines.map((l) => [l.message, l.correlation_id]),
      [
        ['order received', id],
        ['order paid', id],
      ],
    );
    assert.deepEqual(
      paymentsLines.map((l) => [l.message, l.correlation_id]),
      [
        ['charge requested', id],
        ['charge captured', id],
      ],
    );
  }

  it('mints a UUIDv7 for a request without one and follows it through both hops and both services', async () => {
    const id = await placeOrder('A-1001');
    assert.match(id, UUID_V7);
    await assertFollowedEndToEnd(id, 'A-1001');
  });

  it('keeps a valid incoming X-Correlation-ID end to end', async () => {
    const incoming = 'checkout-req.7f3a:42';
    const id = await placeOrder('A-1002', { 'x-correlation-id': incoming });
    assert.equal(id, incoming);
    await assertFollowedEndToEnd(incoming, 'A-1002');
  });

  for (const [name, hostile] of [
    ['markup', '<script>alert(1)</script>'],
    ['a 300-character id', `r${'x'.repeat(299)}`],
  ] as const) {
    it(`replaces a hostile incoming id (${name}) with a fresh UUIDv7 everywhere`, async () => {
      const orderId = `A-2${name.length}`;
      const id = await placeOrder(orderId, { 'x-correlation-id': hostile });
      assert.match(id, UUID_V7);
      await assertFollowedEndToEnd(id, orderId);
      const everything = [
        JSON.stringify(gateway.events),
        await readFile(join(dir, 'logs', 'orders.log'), 'utf8'),
        await readFile(join(dir, 'logs', 'payments.log'), 'utf8'),
      ].join('\n');
      assert.equal(
        everything.includes(hostile),
        false,
        'the hostile id reached neither the bus nor a service',
      );
    });
  }

  it('ships an agent.yaml for the services’ logs that the agent accepts', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(REPO, 'agent/main.ts'),
        '--check-config',
        '--no-environment',
        '--config',
        join(EXAMPLE, 'agent.yaml'),
      ],
      { env: { ...process.env, TOY_LOGS: join(dir, 'logs'), SLUICE_DATA: dir } },
    );
    assert.match(stdout, /orders\.log \(json\)/);
    assert.match(stdout, /payments\.log \(json\)/);
  });
});
