/**
 * The Sluice processes the query benchmark runs, each a child process started the way users start them:
 * `node backend/main.ts --config … --roles …` (distributed), `node backend/standalone/main.ts --config …`
 * (what `npm start -- --config` runs) and `node agent/main.ts --config …`. One API key (tenant `acme`,
 * roles ingest + read) is configured, as a real deployment would; the bench sends it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Child, freePort, spawnNode, waitReady } from '../pipeline/processes.ts';

export const API_KEY = `bench-${randomBytes(12).toString('hex')}`;
const KEY_SHA256 = createHash('sha256').update(API_KEY).digest('hex');
export const AUTH = { authorization: `Bearer ${API_KEY}` };

export interface DistributedStores {
  brokers: string[];
  topicPrefix: string;
  opensearchUrl: string;
  indexPrefix: string;
  pgUrl: string;
  pgSchema: string;
}

export function distributedYaml(s: DistributedStores, dir: string): string {
  return [
    `bus: { kind: kafka, brokers: [${s.brokers.map((b) => JSON.stringify(b)).join(', ')}], topic_prefix: "${s.topicPrefix}", partitions: 3, replication: 1 }`,
    `search: { kind: opensearch, nodes: ["${s.opensearchUrl}"], index_prefix: "${s.indexPrefix}", shards: 1, replicas: 0 }`,
    `metrics: { kind: postgres, url: ${JSON.stringify(s.pgUrl)}, schema: ${s.pgSchema} }`,
    `archive: { kind: local, dir: ${JSON.stringify(join(dir, 'archive'))} }`,
    authYaml(),
    'log: { level: warn }',
  ].join('\n');
}

export function standaloneYaml(dir: string, searchPath: string, metricsPath: string): string {
  return [
    `bus: { kind: embedded, dir: ${JSON.stringify(join(dir, 'bus'))} }`,
    `search: { kind: sqlite, path: ${JSON.stringify(searchPath)} }`,
    `metrics: { kind: sqlite, path: ${JSON.stringify(metricsPath)} }`,
    `archive: { kind: local, dir: ${JSON.stringify(join(dir, 'archive'))} }`,
    authYaml(),
    'log: { level: warn }',
  ].join('\n');
}

function authYaml(): string {
  return `auth: { keys: [ { name: bench, key_sha256: "${KEY_SHA256}", tenant: acme, roles: [ingest, read] } ] }`;
}

export interface Running {
  child: Child;
  url: string;
}

/** A server process with `roles`, its HTTP listener on a free port; resolves once /readyz answers 200. */
export async function startServer(
  name: string,
  dir: string,
  yaml: string,
  roles: string[] | 'standalone',
  cpuProfDir?: string,
): Promise<Running> {
  const port = await freePort();
  const listen =
    roles === 'standalone' || roles.includes('gateway')
      ? `listen: { gateway: "127.0.0.1:${port}" }`
      : roles.includes('query')
        ? `listen: { query: "127.0.0.1:${port}" }`
        : `listen: { metrics: "127.0.0.1:${port}" }`;
  const config = join(dir, `${name}.yaml`);
  await writeFile(config, `${listen}\n${yaml}\n`);
  const child = spawnNode({
    name,
    script: roles === 'standalone' ? 'backend/standalone/main.ts' : 'backend/main.ts',
    args: roles === 'standalone' ? ['--config', config] : ['--config', config, '--roles', roles.join(',')],
    cwd: dir,
    cpuProfDir,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(child, url);
  return { child, url };
}

export interface AgentOptions {
  dir: string;
  gatewayUrl: string;
  file: string;
  /** The agent's batch.max_wait (its default is 1s). */
  maxWait: string;
}

/** The real agent tailing `file` (JSON lines, service `fresh`) and shipping to the gateway. */
export async function startAgent(options: AgentOptions): Promise<Child> {
  const config = join(options.dir, 'agent.yaml');
  await writeFile(
    config,
    [
      `gateway: { url: "${options.gatewayUrl}", api_key: "${API_KEY}" }`,
      `state_dir: ${JSON.stringify(join(options.dir, 'agent-state'))}`,
      `batch: { max_wait: ${options.maxWait} }`,
      'metrics: { listen: "127.0.0.1:0" }',
      'log: { level: warn }',
      'inputs:',
      `  - { type: file, paths: [${JSON.stringify(options.file)}], service: fresh, format: json, start_at: beginning }`,
      '',
    ].join('\n'),
  );
  return spawnNode({ name: 'agent', script: 'agent/main.ts', args: ['--config', config], cwd: options.dir });
}
