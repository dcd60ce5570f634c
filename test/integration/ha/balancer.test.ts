import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { startBalancer } from '../../../deploy/local/balancer.ts';
import { freePort } from '../../helpers/freePort.ts';
import { waitFor } from '../../helpers/waitFor.ts';

/** A backend that names itself in every answer; `/readyz` answers 200 or 503 as `ready` says. */
async function backend(name: string) {
  const state = { ready: true };
  const server: Server = createServer((req, res) => {
    if (req.url === '/readyz') {
      res.writeHead(state.ready ? 200 : 503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request on a new connection each time, so every request is a fresh balancing decision. */
async function ask(port: number): Promise<string> {
  const dispatcher = new Agent({ pipelining: 0 });
  try {
    const answer = await request(`http://127.0.0.1:${port}/`, { dispatcher });
    return await answer.body.text();
  } finally {
    await dispatcher.close();
  }
}

describe('balancer (deploy/local/balancer.ts)', () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('spreads connections over the backends, skips a dead one and one that is not ready', async () => {
    const a = await backend('a');
    const b = await backend('b');
    closers.push(a.close, b.close);
    const balancer = await startBalancer({
      listen: { host: '127.0.0.1', port: 0 },
      backends: [
        { host: '127.0.0.1', port: a.port },
        { host: '127.0.0.1', port: b.port },
      ],
      checkEveryMs: 100,
    });
    closers.push(balancer.close);

    const first = new Set<string>();
    for (let i = 0; i < 4; i++) first.add(await ask(balancer.port));
    assert.deepEqual([...first].sort(), ['a', 'b'], 'both backends take connections');

    // Killed: its port refuses, and every connection goes to the other without an error.
    await a.close();
    for (let i = 0; i < 6; i++) assert.equal(await ask(balancer.port), 'b');

    // Alive but not ready (its bus is down): skipped once a check has seen it.
    const c = await backend('c');
    closers.push(c.close);
    const d = await backend('d');
    closers.push(d.close);
    const second = await startBalancer({
      listen: { host: '127.0.0.1', port: 0 },
      backends: [
        { host: '127.0.0.1', port: c.port },
        { host: '127.0.0.1', port: d.port },
      ],
      checkEveryMs: 100,
    });
    closers.push(second.close);
    c.state.ready = false;
    await waitFor('the balancer to see c not ready', () => second.ready()[`127.0.0.1:${c.port}`] === false);
    for (let i = 0; i < 6; i++) assert.equal(await ask(second.port), 'd');

    // None ready: still served (a 503 from a gateway tells a client more than a closed connection).
    d.state.ready = false;
    await waitFor('the balancer to see d not ready', () => second.ready()[`127.0.0.1:${d.port}`] === false);
    assert.match(await ask(second.port), /^[cd]$/);
  });
});
