import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { rawRequest } from '../../test/helpers/rawHttp.ts';
import { DEFAULT_SERVER_LIMITS, listen, type ServerLimits } from './listen.ts';

type Running = Awaited<ReturnType<typeof listen>>;
const servers: Running[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function start(
  limits: Partial<ServerLimits>,
  handler: (r: Request) => Response | Promise<Response> = () => new Response('ok'),
  hasKeys = true,
): Promise<Running> {
  const server = await listen(handler, {
    address: '127.0.0.1:0',
    hasKeys,
    limits: { ...DEFAULT_SERVER_LIMITS, ...limits },
  });
  servers.push(server);
  return server;
}

/** Opens a socket, writes `text`, and resolves with what the server sent once it closed the socket. */
function held(url: string, text: string): { socket: Socket; closed: Promise<{ ms: number; reply: string }> } {
  const { port } = new URL(url);
  const started = Date.now();
  const socket = connect(Number(port), '127.0.0.1');
  let reply = '';
  socket.on('data', (c: Buffer) => {
    reply += c.toString('latin1');
  });
  socket.on('error', () => undefined);
  socket.write(text);
  const closed = new Promise<{ ms: number; reply: string }>((resolve) =>
    socket.on('close', () => resolve({ ms: Date.now() - started, reply })),
  );
  return { socket, closed };
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
  ]);

describe('server limits (limits.server)', () => {
  it('closes a connection whose headers do not arrive in time (slowloris), with 408', async () => {
    const server = await start({ headersTimeoutMs: 300, requestTimeoutMs: 5000 });
    const slow = held(server.url, 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ');
    const { ms, reply } = await within(slow.closed, 3000, 'slow headers');
    assert.match(reply, /^HTTP\/1\.1 408/);
    assert.ok(ms >= 250, `closed after ${ms} ms`);
  });

  it('closes a connection whose body does not arrive in time, with 408', async () => {
    const server = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 }, async (r) => {
      await r.arrayBuffer().catch(() => undefined);
      return new Response('ok');
    });
    const slow = held(
      server.url,
      'POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 1000\r\n\r\nonly a little',
    );
    const { reply } = await within(slow.closed, 4000, 'slow body');
    assert.match(reply, /^HTTP\/1\.1 408/);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const server = await start({ keepAliveTimeoutMs: 300 });
    const idle = held(server.url, 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    const { ms, reply } = await within(idle.closed, 3000, 'keep-alive');
    assert.match(reply, /^HTTP\/1\.1 200/);
    assert.ok(ms < 2500, `closed after ${ms} ms`);
  });

  it('refuses connections past the cap, and takes new ones once others close', async () => {
    const server = await start({ maxConnections: 3, headersTimeoutMs: 20_000, requestTimeoutMs: 20_000 });
    const open = [0, 1, 2].map(() => held(server.url, 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-wait: '));
    await new Promise((r) => setTimeout(r, 200));
    const extra = held(server.url, 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
    const { reply } = await within(extra.closed, 3000, 'connection past the cap');
    assert.equal(reply, '', 'closed without an answer');
    for (const o of open) o.socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await rawRequest(server.url, 'GET / HTTP/1.1')).status, 200);
  });

  it('caps the requests one key has in progress, without slowing other keys', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const server = await start({ perKeyConcurrency: 2 }, async () => {
      await gate;
      return new Response('ok');
    });
    const as = (key: string) => fetch(server.url, { headers: { authorization: `Bearer ${key}` } });
    const first = [as('key-a'), as('key-a')];
    await new Promise((r) => setTimeout(r, 100));
    const third = await as('key-a');
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '1');
    assert.equal(
      ((await third.json()) as { error: { code: string } }).error.code,
      'too_many_concurrent_requests',
    );
    const other = as('key-b');
    release();
    assert.equal((await other).status, 200);
    for (const r of await Promise.all(first)) assert.equal(r.status, 200);
    assert.equal((await as('key-a')).status, 200, 'the slots come back');
  });
});

describe('open mode (no API keys): DNS rebinding and cross-site requests', () => {
  it('answers only requests that name a loopback host', async () => {
    const server = await start({}, () => new Response('ok'), false);
    for (const host of ['127.0.0.1', 'localhost:8080', '[::1]:80', 'app.localhost', '127.1.2.3:9']) {
      assert.equal((await rawRequest(server.url, 'GET /api/v1/search HTTP/1.1', { host })).status, 200, host);
    }
    for (const host of [
      'rebind.evil.example',
      'rebind.evil.example:8080',
      '10.0.0.1',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
    ]) {
      const answer = await rawRequest(server.url, 'GET /api/v1/search HTTP/1.1', { host });
      assert.equal(answer.status, 403, host);
      assert.match(answer.body, /forbidden_host/);
    }
  });

  it('refuses cross-site requests (a text/plain POST to /_bulk from a foreign page)', async () => {
    const server = await start({}, () => new Response('ok'), false);
    const post = (headers: Record<string, string>) =>
      rawRequest(server.url, 'POST /_bulk HTTP/1.1', { 'content-type': 'text/plain', ...headers }, '{}\n');
    const cases: Array<Record<string, string>> = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: 'http://127.0.0.1.evil.example' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const answer = await post(headers);
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.match(answer.body, /cross_site/);
    }
    assert.equal((await post({ origin: 'http://localhost:5173' })).status, 200);
    assert.equal((await post({})).status, 200, 'agents and curl send no Origin');
  });

  it('does none of this once keys are configured (a page cannot present a key it lacks)', async () => {
    const server = await start({}, () => new Response('ok'), true);
    const answer = await rawRequest(server.url, 'GET / HTTP/1.1', {
      host: 'logs.example.com',
      origin: 'https://ui.example.com',
    });
    assert.equal(answer.status, 200);
  });
});
