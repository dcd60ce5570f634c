import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createKeyRing } from '../../core/auth/apiKeys.ts';
import { listen } from '../../core/http/listen.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { TEST_LIMITS } from '../../test/helpers/gatewayFixture.ts';
import { rawRequest } from '../../test/helpers/rawHttp.ts';
import { RecordingBus } from '../../test/helpers/recordingBus.ts';
import { createGateway, type Gateway } from '../app.ts';

function recorder(paths: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('answered');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const portOf = (s: Server) => (s.address() as AddressInfo).port;

describe('the proxy only ever reaches the configured upstream (no open proxy / SSRF)', () => {
  const upstreamSeen: string[] = [];
  const otherSeen: string[] = [];
  let upstream: Server;
  let other: Server;
  let gateway: Gateway;
  let server: Awaited<ReturnType<typeof listen>>;

  before(async () => {
    upstream = await recorder(upstreamSeen);
    other = await recorder(otherSeen);
    gateway = createGateway({
      bus: new RecordingBus(),
      rawTopic: 'logs.raw',
      keys: createKeyRing([]),
      limits: TEST_LIMITS,
      log: silentLogger,
      proxy: {
        routes: [
          {
            prefix: '/',
            upstream: `http://127.0.0.1:${portOf(upstream)}`,
            timeoutMs: 2000,
            tenant: 'edge',
            service: 'root',
          },
          {
            prefix: '/strip',
            upstream: `http://127.0.0.1:${portOf(upstream)}/base`,
            timeoutMs: 2000,
            stripPrefix: true,
            tenant: 'edge',
            service: 'strip',
          },
        ],
      },
    });
    server = await listen(gateway.app.fetch, { address: '127.0.0.1:0', hasKeys: false });
  });

  after(async () => {
    await gateway.close();
    await server.close();
    upstream.close();
    other.close();
  });

  // Every way RFC 3986 (and the WHATWG URL parser's leniency) lets a request target name an authority,
  // climb out of a path or hide a separator.
  const hostile = (o: string): string[] => [
    `//127.0.0.1:${o}/healthz`,
    `//127.0.0.1:${o}`,
    `///127.0.0.1:${o}/`,
    `////127.0.0.1:${o}/`,
    `//user:pw@127.0.0.1:${o}/`,
    `//user@127.0.0.1:${o}/`,
    `//localhost:${o}/`,
    `//[::ffff:127.0.0.1]:${o}/`,
    `//%31%32%37.0.0.1:${o}/`,
    `//127.0.0.1%3A${o}/`,
    `/\\127.0.0.1:${o}/`,
    `/\\\\127.0.0.1:${o}/`,
    `\\\\127.0.0.1:${o}/`,
    `/%2F127.0.0.1:${o}/`,
    `/%2F%2F127.0.0.1:${o}/`,
    `/%2f%2f127.0.0.1:${o}/`,
    `/%5C%5C127.0.0.1:${o}/`,
    `/%5c127.0.0.1:${o}/`,
    `/../..//127.0.0.1:${o}/`,
    `/./..//127.0.0.1:${o}/`,
    `/%2e%2e//127.0.0.1:${o}/`,
    `/.%2e/%2E%2E//127.0.0.1:${o}/`,
    `/x/..%2F..%2F127.0.0.1:${o}/`,
    `/x/%2e%2e%2f%2e%2e%2f127.0.0.1:${o}/`,
    `/x/..\\..\\/127.0.0.1:${o}/`,
    `/%00//127.0.0.1:${o}/`,
    `/%zz//127.0.0.1:${o}/`,
    `/strip//127.0.0.1:${o}/`,
    `/strip//user:pw@127.0.0.1:${o}/x`,
    `/strip/..//127.0.0.1:${o}/`,
    `/strip/%2F%2F127.0.0.1:${o}/`,
    `/strip\\/127.0.0.1:${o}/`,
    `http://127.0.0.1:${o}/healthz`,
    `http://127.0.0.1:${o}//127.0.0.1:${o}/`,
    `https://127.0.0.1:${o}/`,
    `http:127.0.0.1:${o}/`,
    `http:/127.0.0.1:${o}/`,
    `127.0.0.1:${o}`,
    `*`,
    `@127.0.0.1:${o}/`,
    `/?next=//127.0.0.1:${o}/`,
    `/#//127.0.0.1:${o}/`,
  ];

  it('never reaches another host, whatever the request target', async () => {
    const o = String(portOf(other));
    for (const target of hostile(o)) {
      for (const method of ['GET', 'POST', 'CONNECT', 'OPTIONS']) {
        const answer = await rawRequest(server.url, `${method} ${target} HTTP/1.1`);
        assert.ok(
          answer.status < 500 || answer.status === 502 || answer.status === 504,
          `${method} ${target}: ${answer.status} ${answer.body}`,
        );
      }
      // The request line can also name a host in the Host header; the upstream stays the configured one.
      await rawRequest(server.url, `GET ${target} HTTP/1.1`, { host: `127.0.0.1:${o}` }).catch(() => null);
    }
    assert.deepEqual(otherSeen, [], 'the other host was never reached');
  });

  it('keeps ordinary paths working, and refuses ambiguous ones with 400 bad_path', async () => {
    const ok = await rawRequest(server.url, 'GET /orders/1?x=%2F HTTP/1.1');
    assert.equal(ok.status, 200);
    assert.equal(upstreamSeen.at(-1), '/orders/1?x=%2F');
    const stripped = await rawRequest(server.url, 'GET /strip/items HTTP/1.1');
    assert.equal(stripped.status, 200);
    assert.equal(upstreamSeen.at(-1), '/items');
    for (const target of ['/a/..%2Fsecret', '/a/%2e%2e%2fsecret', '/%5Cx', '/%00']) {
      const refused = await rawRequest(server.url, `GET ${target} HTTP/1.1`);
      assert.equal(refused.status, 400, target);
      assert.match(refused.body, /bad_path/);
    }
  });

  it('sends an authority-looking path to the configured upstream, as a path', async () => {
    const o = String(portOf(other));
    const answer = await rawRequest(server.url, `GET //127.0.0.1:${o}/healthz HTTP/1.1`);
    assert.equal(answer.status, 200);
    assert.equal(upstreamSeen.at(-1), `//127.0.0.1:${o}/healthz`);
  });
});
