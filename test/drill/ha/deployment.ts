/**
 * The replicated deployment as the drill sees it: deploy/local/ha to start, kill and stop nodes, and the
 * engines asked which node matters (the partition leader, the node with the primary shard, the holder of
 * the singleton leases).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';

const run = promisify(execFile);
const HA = join(import.meta.dirname, '../../../deploy/local/ha');

export interface Deployment {
  env: Record<string, string>;
  up(...nodes: string[]): Promise<void>;
  down(): Promise<void>;
  kill(node: string, signal?: 'KILL' | 'STOP' | 'CONT'): Promise<void>;
}

export async function deployment(): Promise<Deployment> {
  const env = Object.fromEntries(
    (await run(HA, ['env'])).stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const ha = async (args: string[]) => {
    try {
      await run(HA, args, { maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `deploy/local/ha ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    }
  };
  return {
    env,
    up: (...nodes) => ha(['up', ...nodes]),
    down: () => ha(['down']),
    kill: (node, signal = 'KILL') => ha(['kill', node, signal]),
  };
}

/** The node leading partition 0 of the raw topic: the broker whose death the gateways feel first. */
export async function kafkaLeader(brokers: string, topic: string): Promise<string> {
  const kafka = new kafkajs.Kafka({
    brokers: brokers.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 3000,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const leader = topics[0].partitions.find((p) => p.partitionId === 0)?.leader;
    if (leader === undefined) throw new Error(`no leader for ${topic} partition 0`);
    return `kafka-${leader}`;
  } finally {
    await admin.disconnect();
  }
}

/** The data node holding the primary of the newest Sluice index. */
export async function openSearchPrimary(url: string, prefix: string): Promise<string> {
  const answer = await fetch(`${url}/_cat/shards/${prefix}-*?format=json&h=index,prirep,node,state`);
  const shards = (await answer.json()) as Array<{
    index: string;
    prirep: string;
    node: string;
    state: string;
  }>;
  const primary = shards
    .filter((s) => s.prirep === 'p' && s.state === 'STARTED')
    .sort((a, b) => b.index.localeCompare(a.index))[0];
  if (primary === undefined) throw new Error(`no started primary shard of ${prefix}-*`);
  return primary.node.replace(/^sluice-ha-/, '');
}

/** Which query process runs the retention role now (sluice_retention_lease_held 1), if either. */
export async function leaseHolder(queryUrls: Record<string, string>): Promise<string | undefined> {
  for (const [node, url] of Object.entries(queryUrls)) {
    const text = await fetch(`${url}/metrics`)
      .then((r) => r.text())
      .catch(() => '');
    if (/^sluice_retention_lease_held 1$/m.test(text)) return node;
  }
  return undefined;
}
