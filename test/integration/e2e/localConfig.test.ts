/**
 * deploy/local/sluice.yaml as docs/operations.md walks through it: the variables deploy/local/env.sh prints
 * fill it, the file passes --check-config, and the three processes started from it by role (workers,
 * gateway, query; the `sluice-server` bin) ingest an event and make it searchable. Its own topic prefix,
 * index prefix, schema, bucket and ports come from the overrides the file offers, so it runs beside
 * anything else on the shared engines.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quietKnownWarnings } from '../../../backend/server/quietWarnings.ts';
import { type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import {
  freePort,
  type NodeProcess,
  REPO,
  spawnNode,
  waitHealthy,
  waitUntil,
} from '../../helpers/nodeProcess.ts';
import { ingest, queryClient } from './harness/api.ts';

quietKnownWarnings();

const CONFIG = 'deploy/local/sluice.yaml';
const ROLES = {
  workers: 'processor,indexer,metrics,archiver',
  gateway: 'gateway',
  query: 'query,retention,alerts',
} as const;
type Role = keyof typeof ROLES;

/** What `eval "$(deploy/local/env.sh)"` would export, as a map (the values are plain: no shell quoting). */
function envShVariables(): Record<string, string> {
  const out = execFileSync('bash', [join(REPO, 'deploy/local/env.sh')], { encoding: 'utf8' });
  const vars: Record<string, string> = {};
  for (const line of out.trim().split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
    assert.ok(match, `env.sh printed an unexpected line: ${line}`);
    vars[match[1]] = match[2];
  }
  return vars;
}

describe('deploy/local/sluice.yaml on the local engines, a process per role', () => {
  let iso: Isolation;
  let env: Record<string, string>;
  const urls: Record<Role, string> = { workers: '', gateway: '', query: '' };
  const procs: Partial<Record<Role, NodeProcess>> = {};
  const logs = () =>
    Object.values(procs)
      .map((p) => `--- ${p?.name}\n${p?.logTail(15)}`)
      .join('\n');

  before(async () => {
    await requireEngines('kafka', 'opensearch', 'postgres', 's3');
    iso = isolate('local-config');
    await iso.s3().createBucket(iso.bucket);
    const ports = { workers: await freePort(), gateway: await freePort(), query: await freePort() };
    for (const role of Object.keys(ports) as Role[]) urls[role] = `http://127.0.0.1:${ports[role]}`;
    env = {
      ...envShVariables(),
      SLUICE_TOPIC_PREFIX: iso.topicPrefix,
      SLUICE_INDEX_PREFIX: iso.indexPrefix,
      SLUICE_PG_SCHEMA: iso.pgSchema,
      SLUICE_S3_BUCKET: iso.bucket,
      SLUICE_GATEWAY_LISTEN: `127.0.0.1:${ports.gateway}`,
      SLUICE_QUERY_LISTEN: `127.0.0.1:${ports.query}`,
      SLUICE_METRICS_LISTEN: `127.0.0.1:${ports.workers}`,
    };
  });

  after(async () => {
    const failures: unknown[] = [];
    for (const role of ['gateway', 'query', 'workers'] as const) {
      await procs[role]?.stop().catch((e) => failures.push(e));
    }
    await iso?.cleanup().catch((e) => failures.push(e));
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  });

  it("names env.sh's variables only (every SLUICE_* it reads without a default is one env.sh prints)", async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(join(REPO, CONFIG), 'utf8');
    const required = [...text.matchAll(/\$\{(SLUICE_[A-Z0-9_]+)\}/g)].map((m) => m[1]);
    assert.ok(required.length > 0);
    const printed = Object.keys(envShVariables());
    assert.deepEqual(
      required.filter((name) => !printed.includes(name)),
      [],
    );
  });

  it('passes --check-config with the variables env.sh prints', async () => {
    const check = spawnNode('check', ['bin/sluice-server.mjs', '--config', CONFIG, '--check-config'], env);
    assert.equal(await check.exited, 0, check.logTail());
  });

  it('starts the roles as separate processes; an event sent to the gateway is searchable at the query process', async () => {
    const start = async (role: Role) => {
      procs[role] = spawnNode(
        role,
        ['bin/sluice-server.mjs', '--config', CONFIG, '--roles', ROLES[role]],
        env,
      );
      await waitHealthy(procs[role], urls[role], 180_000);
    };
    // Workers first, so their consumer groups exist before anything is produced; the three start together.
    await Promise.all([start('workers'), start('gateway'), start('query')]);

    const message = `payment declined for order ${iso.id}`;
    await ingest(urls.gateway, 'any', [{ service: 'checkout', level: 'error', msg: message }]);
    const api = queryClient(urls.query, null);
    const hits = await waitUntil(
      'the event searchable through the query process',
      async () => {
        const found = await api.searchAll({ q: `"${message}"`, from: 'now-15m' });
        return found.length > 0 ? found : undefined;
      },
      180_000, // through three processes and Kafka: over 60 s at load 45-60
      logs,
    );
    assert.deepEqual(
      hits.map((e) => [e.tenant, e.service, e.level, e.message]),
      [['default', 'checkout', 'error', message]],
    );
    // It went through the engines the file names: the isolation's own OpenSearch indices hold it.
    const indices = await iso.opensearch().cat.indices({ index: `${iso.indexPrefix}-*`, format: 'json' });
    assert.ok((indices.body as unknown[]).length > 0, 'an index under the isolation prefix');
  });
});
