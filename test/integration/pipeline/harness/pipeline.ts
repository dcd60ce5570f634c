/**
 * A distributed Sluice on the real engines, one process per role: the gateway and each worker
 * (processor, indexer, metrics writer, archiver) run as separate `node backend/main.ts --roles <role>`
 * processes sharing one sluice.yaml, so a test can kill -9 exactly one role and start it again.
 * Topics, consumer groups, indices, the PostgreSQL schema and the bucket are the isolation's.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROLES, type RoleName } from '../../../../backend/roles/table.ts';
import { sha256Hex } from '../../../../core/auth/apiKeys.ts';
import { type Isolation, isolatedEngines } from '../../../helpers/engines.ts';
import { type SluiceProcess, startSluice } from './sluiceProcess.ts';

/** The roles that consume the bus without serving HTTP: processor, indexer, metrics, archiver. */
export const PIPELINE_WORKERS: readonly RoleName[] = ROLES.filter(
  (role) => (role.dependsOn as readonly string[]).includes('bus') && !('serves' in role),
).map((role) => role.name);
export type WorkerRole = RoleName;

/** Partitions of the test's topics: more than one, so keys really spread, and few enough to stay light. */
export const PARTITIONS = 4;

export interface PipelineOptions {
  isolation: Isolation;
  tenants: readonly string[];
  /** Worker roles to run (default all four); each in its own process. */
  workers?: readonly WorkerRole[];
  /** OpenSearch nodes (default: the shared engine). */
  opensearchNodes?: string[];
  /** `processing` section of sluice.yaml. */
  processing?: Record<string, unknown>;
}

export interface Pipeline {
  dir: string;
  gateway: SluiceProcess;
  /** The running process of each worker role (replaced by restart). */
  workers: Map<WorkerRole, SluiceProcess>;
  /** The ingest key of each tenant. */
  keys: Map<string, string>;
  kill9(role: WorkerRole): Promise<void>;
  /** Starts the role again (after kill9), same config. */
  restart(role: WorkerRole): Promise<SluiceProcess>;
  /** Each process's last log lines, for failure messages. */
  logs(lines?: number): string;
  /** Stops every process (gracefully) and deletes the working directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** The sluice.yaml every process of the pipeline shares. */
export function pipelineConfig(options: PipelineOptions, keys: Map<string, string>): Record<string, unknown> {
  const engines = isolatedEngines(options.isolation, { partitions: PARTITIONS });
  return {
    // Port 0: every process (gateway, worker-only /metrics) gets its own free port.
    listen: { gateway: '127.0.0.1:0', query: '127.0.0.1:0', metrics: '127.0.0.1:0' },
    ...engines,
    search: { ...engines.search, nodes: options.opensearchNodes ?? engines.search.nodes },
    processing: options.processing ?? {},
    auth: {
      keys: [...keys].map(([tenant, key]) => ({
        name: `${tenant}-ingest`,
        key_sha256: sha256Hex(key),
        tenant,
        roles: ['ingest'],
      })),
    },
  };
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const dir = await mkdtemp(join(tmpdir(), `sluice-${options.isolation.id}-`));
  const keys = new Map(options.tenants.map((t) => [t, `key-${t}-${randomBytes(8).toString('hex')}`]));
  const configFile = join(dir, 'sluice.yaml');
  await writeFile(configFile, stringify(pipelineConfig(options, keys)));
  await options.isolation.s3().createBucket(options.isolation.bucket);

  const workers = new Map<WorkerRole, SluiceProcess>();
  const started: SluiceProcess[] = [];
  const starts = new Map<WorkerRole, number>();
  const startRole = async (role: WorkerRole) => {
    const n = (starts.get(role) ?? 0) + 1;
    starts.set(role, n);
    const proc = await startSluice({ name: n === 1 ? role : `${role}-${n}`, configFile, roles: [role], dir });
    started.push(proc);
    workers.set(role, proc);
    return proc;
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(started.map((p) => p.stop()));
    // SLUICE_TEST_KEEP_LOGS=1 keeps every process's whole log (<dir>/<role>.log) for a post-mortem.
    if (process.env.SLUICE_TEST_KEEP_LOGS) console.error(`pipeline logs kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  };
  try {
    // The gateway first: it creates the topics, so the workers never race to create them.
    const gateway = await startSluice({ name: 'gateway', configFile, roles: ['gateway'], dir });
    started.push(gateway);
    await Promise.all((options.workers ?? PIPELINE_WORKERS).map(startRole));
    return {
      dir,
      gateway,
      workers,
      keys,
      async kill9(role) {
        await workers.get(role)?.kill9();
      },
      restart: startRole,
      logs: (lines = 15) => started.map((p) => p.logTail(lines)).join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
