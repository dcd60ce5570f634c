import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../core/config/parseConfig.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { serverConfigSchema } from '../config/schema.ts';
import { type RunningServer, startServer } from '../server/server.ts';

describe('query role: limits.query from sluice.yaml', () => {
  let dir: string;
  let server: RunningServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-query-role-'));
    const config = parseConfig(
      `
roles: [query]
listen: { query: "127.0.0.1:0" }
bus: { dir: ${dir}/bus, partitions: 1 }
search: { path: ${dir}/search }
metrics: { path: ${dir}/metrics.db }
archive: { dir: ${dir}/archive }
limits: { query: { max_range: 1h, max_limit: 20, per_key_rate: 1, per_key_burst: 2 } }
`,
      'sluice.yaml',
      serverConfigSchema,
    );
    server = await startServer(config, silentLogger);
  });

  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies the configured range, page size and per-key rate', async () => {
    const get = (path: string) => fetch(`${server.url}${path}`);
    const wide = await get('/api/v1/search?from=now-2h&to=now');
    assert.equal(wide.status, 400);
    assert.equal(((await wide.json()) as { error: { code: string } }).error.code, 'range_too_large');
    const big = await get('/api/v1/search?from=now-30m&limit=21');
    assert.equal(big.status, 400, await big.text());
    // The burst of 2 is spent; the third request within the second is over the rate.
    const third = await get('/api/v1/search?from=now-30m&limit=20');
    assert.equal(third.status, 429, await third.text());
    assert.ok(Number(third.headers.get('retry-after')) >= 1);
  });
});
