/**
 * `/readyz` answers 503, naming the store, while a store the process's roles use is unusable, and 200
 * again once it is usable: here the S3 archive's bucket, missing at start and created while the
 * processes run (the local engines stay up; only this test's own bucket comes and goes).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Isolation, isolate, isolatedEngines, requireEngines } from '../../helpers/engines.ts';
import { freePort } from '../../helpers/freePort.ts';
import { type NodeProcess, spawnNode, waitHealthy, waitUntil } from '../../helpers/nodeProcess.ts';

let iso: Isolation;
let dir: string;
const running: NodeProcess[] = [];

/** A server with `roles` on its own embedded bus and SQLite files, archiving to this test's bucket. */
async function startServer(name: string, roles: string[]): Promise<{ url: string; proc: NodeProcess }> {
  const port = await freePort();
  const data = join(dir, name);
  const config = {
    roles,
    listen: {
      gateway: `127.0.0.1:${port}`,
      query: `127.0.0.1:${port}`,
      metrics: `127.0.0.1:${port}`,
    },
    bus: { kind: 'embedded', dir: join(data, 'bus') },
    search: { kind: 'sqlite', path: join(data, 'search') },
    metrics: { kind: 'sqlite', path: join(data, 'metrics.db') },
    archive: isolatedEngines(iso).archive,
  };
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, JSON.stringify(config, null, 2));
  const proc = spawnNode(name, ['backend/main.ts', '--config', file]);
  running.push(proc);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(proc, url);
  return { url, proc };
}

async function readyz(url: string) {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as {
      status: string;
      unusable?: Array<{ component: string; kind: string; detail: string }>;
    },
  };
}

describe('/readyz follows the stores the roles use', () => {
  before(async () => {
    await requireEngines('s3');
    iso = isolate('readyz', ['s3']);
    dir = await mkdtemp(join(tmpdir(), 'sluice-readyz-'));
  });
  after(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await iso.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('is 503 naming the archive while its bucket is missing, 200 once it exists; a gateway alone stays ready', async () => {
    const [standalone, archiver, gateway] = await Promise.all([
      startServer('standalone', ['gateway', 'processor', 'indexer', 'metrics', 'archiver', 'query']),
      startServer('archiver', ['archiver']),
      startServer('gateway', ['gateway']),
    ]);

    for (const { url, proc } of [standalone, archiver]) {
      const answer = await readyz(url);
      assert.equal(answer.status, 503, `${proc.name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.retryAfter, '5');
      assert.equal(answer.body.status, 'not ready');
      assert.deepEqual(
        answer.body.unusable?.map((u) => `${u.component} ${u.kind}`),
        ['archive s3'],
        proc.name,
      );
      assert.match(answer.body.unusable?.[0].detail ?? '', new RegExp(`bucket ${iso.bucket} does not exist`));
    }
    const unaffected = await readyz(gateway.url);
    assert.equal(unaffected.status, 200, 'the gateway uses only the bus');

    await iso.s3().createBucket(iso.bucket);
    for (const { url, proc } of [standalone, archiver]) {
      const ready = await waitUntil(
        `${proc.name} ready once the bucket exists`,
        async () => {
          const answer = await readyz(url);
          return answer.status === 200 ? answer : undefined;
        },
        30_000,
        () => proc.logTail(),
        500,
      );
      assert.deepEqual(ready.body, { status: 'ready' });
    }
  });
});
