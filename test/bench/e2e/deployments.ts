/**
 * The two deployments bench:e2e drives, each as real processes started the way operators start them
 * (`node backend/main.ts --config … --roles …`):
 * - standalone: one process with every role on the embedded bus, SQLite and a local archive, its
 *   gateway on `listen.processes` gateway processes;
 * - distributed: one process per role on the shared Kafka, OpenSearch, PostgreSQL and S3, named by
 *   isolate() (unique topics, indices, schema, bucket) and deleted at the end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { engineSettings, type Isolation } from '../../helpers/engines.ts';
import { type Child, freePort, spawnNode, waitReady } from '../pipeline/processes.ts';

export interface Deployment {
  kind: 'standalone' | 'distributed';
  /** Where batches are posted. */
  ingestUrl: string;
  /** Where the query API answers. */
  queryUrl: string;
  /** Every /metrics to scrape (summed). */
  metricsUrls: string[];
  /** Processes whose CPU is counted, per group; read at each snapshot. */
  pids(): Record<string, number[]>;
  enrichedTopic: string;
  stop(): Promise<void>;
}

/** Pids whose parent is `pid` (the gateway processes of a primary), from /proc. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return children;
}

export async function startStandalone(
  dir: string,
  gatewayProcesses: string,
  options: { cpuProfDir?: string; repo?: string } = {},
): Promise<Deployment> {
  const port = await freePort();
  const processes = gatewayProcesses === 'auto' ? 'auto' : Number(gatewayProcesses);
  const config = {
    listen: { gateway: `127.0.0.1:${port}`, processes },
    bus: { kind: 'embedded', dir: join(dir, 'bus') },
    search: { kind: 'sqlite', path: join(dir, 'search') },
    metrics: { kind: 'sqlite', path: join(dir, 'metrics.db') },
    archive: { kind: 'local', dir: join(dir, 'archive') },
  };
  const file = join(dir, 'standalone.yaml');
  await writeFile(file, stringify(config));
  const child = spawnNode({
    name: 'standalone',
    script: 'backend/main.ts',
    args: ['--config', file],
    cwd: dir,
    repo: options.repo,
    // Through NODE_OPTIONS so the gateway processes (node:cluster workers) write theirs too, each named
    // by its pid.
    env:
      options.cpuProfDir === undefined
        ? undefined
        : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${options.cpuProfDir}` },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(child, url, 120_000);
  return {
    kind: 'standalone',
    ingestUrl: url,
    queryUrl: url,
    metricsUrls: [url],
    pids: () => ({ gateway: childrenOf(child.pid), primary: [child.pid] }),
    enrichedTopic: 'logs.enriched',
    stop: async () => {
      await child.stop();
    },
  };
}

const WORKERS = ['processor', 'indexer', 'archiver', 'metrics', 'query'] as const;

export async function startDistributed(
  dir: string,
  iso: Isolation,
  gatewayProcesses: string,
  partitions: number,
): Promise<Deployment> {
  const settings = engineSettings();
  await iso.s3().createBucket(iso.bucket);
  const base = {
    bus: {
      kind: 'kafka',
      brokers: settings.kafkaBrokers,
      topic_prefix: iso.topicPrefix,
      partitions,
      replication: 1,
    },
    search: {
      kind: 'opensearch',
      nodes: [settings.opensearchUrl],
      index_prefix: iso.indexPrefix,
      replicas: 0,
    },
    metrics: { kind: 'postgres', url: settings.pgUrl, schema: iso.pgSchema },
    archive: {
      kind: 's3',
      endpoint: settings.s3.endpoint,
      bucket: iso.bucket,
      region: settings.s3.region,
      access_key_id: settings.s3.accessKeyId,
      secret_access_key: settings.s3.secretAccessKey,
      force_path_style: true,
    },
  };
  const children = new Map<string, { child: Child; url: string }>();
  const start = async (role: string) => {
    const port = await freePort();
    const processes = gatewayProcesses === 'auto' ? 'auto' : Number(gatewayProcesses);
    const listen =
      role === 'gateway'
        ? { gateway: `127.0.0.1:${port}`, processes }
        : role === 'query'
          ? { query: `127.0.0.1:${port}` }
          : { metrics: `127.0.0.1:${port}` };
    const file = join(dir, `${role}.yaml`);
    await writeFile(file, stringify({ ...base, listen }));
    const child = spawnNode({
      name: role,
      script: 'backend/main.ts',
      args: ['--config', file, '--roles', role],
      cwd: dir,
    });
    const url = `http://127.0.0.1:${port}`;
    children.set(role, { child, url });
    await waitReady(child, url, 120_000);
  };
  try {
    await start('gateway'); // creates the topics
    await Promise.all(WORKERS.map(start));
  } catch (error) {
    for (const { child } of children.values()) await child.stop(5000);
    throw error;
  }
  const of = (role: string) => children.get(role) as { child: Child; url: string };
  return {
    kind: 'distributed',
    ingestUrl: of('gateway').url,
    queryUrl: of('query').url,
    metricsUrls: ['gateway', 'processor', 'indexer', 'archiver', 'metrics'].map((r) => of(r).url),
    pids: () => ({
      gateway: [of('gateway').child.pid, ...childrenOf(of('gateway').child.pid)],
      processor: [of('processor').child.pid],
      indexer: [of('indexer').child.pid],
      archiver: [of('archiver').child.pid],
      metrics: [of('metrics').child.pid],
    }),
    enrichedTopic: `${iso.topicPrefix}logs.enriched`,
    stop: async () => {
      // Gateway first (no new records), then the workers drain and commit.
      await of('gateway').child.stop();
      await Promise.all(WORKERS.map((r) => of(r).child.stop()));
    },
  };
}
