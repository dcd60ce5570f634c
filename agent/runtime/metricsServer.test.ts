import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../core/log/logger.ts';
import { type Health, startMetricsServer } from './metricsServer.ts';

function health(status: Health['status']): Health {
  return {
    status,
    version: '0.1.0',
    uptime_seconds: 3,
    gateway: { url: 'http://127.0.0.1:8080', state: status === 'ok' ? 'ok' : 'retrying' },
    spool: { bytes: 0, files: 0 },
    queued_batches: 0,
    blocked: false,
    inputs: 1,
  };
}

describe("the agent's metrics endpoint", () => {
  it('serves /healthz as JSON and /metrics as Prometheus text', async () => {
    let status: Health['status'] = 'ok';
    const server = await startMetricsServer({
      listen: '127.0.0.1:0',
      metrics: async () => 'sluice_agent_lines_total 7\n',
      health: () => health(status),
      log: silentLogger,
    });
    try {
      const ok = await fetch(`${server.url}/healthz`);
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as Health).gateway.state, 'ok');
      status = 'degraded';
      const degraded = await fetch(`${server.url}/healthz`);
      assert.equal(degraded.status, 200, 'alive while the gateway is away: restarting would not help');
      assert.equal(((await degraded.json()) as Health).status, 'degraded');
      status = 'stopping';
      assert.equal((await fetch(`${server.url}/healthz`)).status, 503);

      const metrics = await fetch(`${server.url}/metrics`);
      assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.equal(await metrics.text(), 'sluice_agent_lines_total 7\n');
      assert.equal((await fetch(`${server.url}/nope`)).status, 404);
      assert.equal((await fetch(`${server.url}/metrics`, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
    }
  });

  it('fails to start on an address that is taken, saying so', async () => {
    const first = await startMetricsServer({
      listen: '127.0.0.1:0',
      metrics: async () => '',
      health: () => health('ok'),
      log: silentLogger,
    });
    try {
      const port = new URL(first.url).port;
      await assert.rejects(
        startMetricsServer({
          listen: `127.0.0.1:${port}`,
          metrics: async () => '',
          health: () => health('ok'),
          log: silentLogger,
        }),
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });
});
