/**
 * Engines for integration tests: reachability checks that fail loudly, client factories,
 * and `isolate(label)`, which gives one test its own topics, indices, schema and bucket and
 * removes them afterwards, so tests never see each other's data and can run against the
 * same long-lived engines (deploy/local/up) again and again.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { Kafka, type LogEntry, logLevel } from 'kafkajs';
import postgres from 'postgres';
import { createS3Client, type S3Client } from '../../core/s3/client.ts';
import { S3Error } from '../../core/s3/errors.ts';
import { engineSettings } from './engineSettings.ts';

export { engineSettings } from './engineSettings.ts';
export type Sql = postgres.Sql;
export type EngineName = 'kafka' | 'opensearch' | 'postgres' | 's3';
export const ALL_ENGINES: readonly EngineName[] = ['kafka', 'opensearch', 'postgres', 's3'];

// kafkajs warns about its v2 partitioner change on every producer; it is not news here.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

// --- clients --------------------------------------------------------------------------------

/** Only errors by default (a fresh broker's "coordinator is loading" retries are logged at ERROR
 * by kafkajs and are harmless); SLUICE_TEST_KAFKA_LOG=info|debug for more. */
function kafkaLogLevel(): logLevel {
  const wanted = process.env.SLUICE_TEST_KAFKA_LOG?.toUpperCase();
  return wanted && wanted in logLevel ? logLevel[wanted as keyof typeof logLevel] : logLevel.ERROR;
}

export function kafkaClient(clientId = 'sluice-test', level: logLevel = kafkaLogLevel()): Kafka {
  return new Kafka({ brokers: engineSettings().kafkaBrokers, clientId, logLevel: level });
}

export function openSearchClient(): OpenSearchClient {
  return new OpenSearchClient({ node: engineSettings().opensearchUrl });
}

/** A postgres.js client; with `schema`, every connection's search_path is that schema. */
export function pgClient(schema?: string): Sql {
  return postgres(engineSettings().pgUrl, {
    max: 4,
    connect_timeout: 5,
    onnotice: () => {}, // "schema … does not exist, skipping" and friends
    ...(schema ? { connection: { search_path: schema } } : {}),
  });
}

export function s3Client(): S3Client {
  return createS3Client(engineSettings().s3);
}

// --- reachability ---------------------------------------------------------------------------

function reason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    current = current instanceof AggregateError ? current.errors[0] : current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

async function probe(engine: EngineName): Promise<void> {
  const settings = engineSettings();
  switch (engine) {
    case 'kafka': {
      const admin = new Kafka({
        brokers: settings.kafkaBrokers,
        clientId: 'sluice-test-probe',
        connectionTimeout: 3000,
        retry: { retries: 0 },
        logCreator: () => (_entry: LogEntry) => {}, // the thrown error says it all
      }).admin();
      try {
        await admin.connect();
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
      return;
    }
    case 'opensearch': {
      const response = await fetch(`${settings.opensearchUrl}/_cluster/health`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`health answered ${response.status}`);
      return;
    }
    case 'postgres': {
      const sql = postgres(settings.pgUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
      try {
        await sql`SELECT 1`;
      } finally {
        await sql.end({ timeout: 1 });
      }
      return;
    }
    case 's3':
      // Any S3 answer proves the store is there; credentials are the tests' business.
      await fetch(settings.s3.endpoint, { signal: AbortSignal.timeout(5000) }).then((r) => r.body?.cancel());
      return;
  }
}

function addressOf(engine: EngineName): string {
  const settings = engineSettings();
  if (engine === 'kafka') return settings.kafkaBrokers.join(',');
  if (engine === 'opensearch') return settings.opensearchUrl;
  if (engine === 'postgres') return settings.pgUrl.replace(/:[^:@/]*@/, ':***@');
  return settings.s3.endpoint;
}

const NAMES: Record<EngineName, string> = {
  kafka: 'Kafka',
  opensearch: 'OpenSearch',
  postgres: 'PostgreSQL',
  s3: 'S3 (S3Proxy)',
};

/**
 * Throws, naming the engine, its address and the fix, unless every engine answers. Call it
 * from `before()`: an integration test without its engine must fail, never skip.
 */
export async function requireEngines(...engines: EngineName[]): Promise<void> {
  const failures = await Promise.all(
    engines.map((engine) =>
      probe(engine).then(
        () => undefined,
        (error: unknown) =>
          `${NAMES[engine]} not reachable at ${addressOf(engine)} (${reason(error)}): run deploy/local/up`,
      ),
    ),
  );
  const messages = failures.filter((failure) => failure !== undefined);
  if (messages.length > 0) throw new Error(messages.join('\n'));
}

// --- isolation ------------------------------------------------------------------------------

export interface Isolation {
  /** `<label>-<random>`, unique per isolate() call. */
  id: string;
  /** Prefix for topic names (`it.<id>.`): `${topicPrefix}logs.raw`. */
  topicPrefix: string;
  /** Prefix for consumer group ids; cleanup deletes the groups too. */
  groupPrefix: string;
  /** Prefix for index, data stream and index template names (`it-<id>`). */
  indexPrefix: string;
  pgSchema: string;
  bucket: string;
  /** A postgres.js client whose search_path is `pgSchema`, created on first call. */
  sql(): Promise<Sql>;
  kafka(): Kafka;
  opensearch(): OpenSearchClient;
  s3(): S3Client;
  /** Deletes everything named with this isolation's prefixes and closes its clients. */
  cleanup(): Promise<void>;
}

/**
 * sluice.yaml's engine sections on the deploy/local engines, on this isolation's own topics, indices,
 * schema and bucket (JSON is YAML: write them as they are, or spread them into a config object).
 */
export function isolatedEngines(iso: Isolation, { partitions = 2 }: { partitions?: number } = {}) {
  const s = engineSettings();
  return {
    bus: {
      kind: 'kafka',
      brokers: s.kafkaBrokers,
      topic_prefix: iso.topicPrefix,
      partitions,
      replication: 1,
    },
    search: { kind: 'opensearch', nodes: [s.opensearchUrl], index_prefix: iso.indexPrefix, replicas: 0 },
    metrics: { kind: 'postgres', url: s.pgUrl, schema: iso.pgSchema },
    archive: {
      kind: 's3',
      endpoint: s.s3.endpoint,
      region: s.s3.region,
      bucket: iso.bucket,
      access_key_id: s.s3.accessKeyId,
      secret_access_key: s.s3.secretAccessKey,
      force_path_style: true,
    },
  };
}

function slug(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 24)
      .replace(/-+$/, '') || 'test'
  );
}

/**
 * Names valid for every engine at once: Kafka topics ([a-zA-Z0-9._-]), OpenSearch indices
 * (lowercase), PostgreSQL identifiers (no quoting needed, ≤ 63) and S3 buckets (3–63 of
 * [a-z0-9-]). `engines` limits cleanup to the engines the test uses, so a PostgreSQL-only
 * test does not need Kafka running.
 */
export function isolate(label: string, engines: readonly EngineName[] = ALL_ENGINES): Isolation {
  const id = `${slug(label)}-${randomBytes(4).toString('hex')}`;
  const names = {
    id,
    topicPrefix: `it.${id}.`,
    groupPrefix: `it.${id}.`,
    indexPrefix: `it-${id}`,
    pgSchema: `it_${id.replaceAll('-', '_')}`,
    bucket: `it-${id}`,
  };
  let sql: Sql | undefined;
  let kafka: Kafka | undefined;
  let opensearch: OpenSearchClient | undefined;
  let s3: S3Client | undefined;

  const isolation: Isolation = {
    ...names,
    async sql() {
      if (!sql) {
        const admin = pgClient();
        try {
          await admin`CREATE SCHEMA IF NOT EXISTS ${admin(names.pgSchema)}`;
        } finally {
          await admin.end({ timeout: 1 });
        }
        sql = pgClient(names.pgSchema);
      }
      return sql;
    },
    kafka: () => (kafka ??= kafkaClient(`sluice-test-${id}`)),
    opensearch: () => (opensearch ??= openSearchClient()),
    s3: () => (s3 ??= s3Client()),
    async cleanup() {
      const failures: string[] = [];
      const attempt = async (what: string, work: () => Promise<unknown>) => {
        try {
          await work();
        } catch (error) {
          failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        }
      };
      await attempt('closing the PostgreSQL client', async () => sql?.end({ timeout: 5 }));
      if (engines.includes('kafka'))
        await attempt('Kafka', () => dropKafka(isolation.kafka(), names.topicPrefix, names.groupPrefix));
      if (engines.includes('opensearch'))
        await attempt('OpenSearch', () => dropOpenSearch(isolation.opensearch(), names.indexPrefix));
      if (engines.includes('postgres')) await attempt('PostgreSQL', () => dropSchema(names.pgSchema));
      if (engines.includes('s3')) await attempt('S3', () => dropBucket(isolation.s3(), names.bucket));
      await attempt('closing the OpenSearch client', async () => opensearch?.close());
      // Forget the closed clients: the isolation stays usable (e.g. to check the cleanup) and
      // a second cleanup() starts from fresh clients instead of hanging on closed ones.
      sql = kafka = opensearch = s3 = undefined;
      if (failures.length > 0) throw new Error(`cleanup of isolation ${id} failed:\n${failures.join('\n')}`);
    },
  };
  return isolation;
}

async function dropKafka(kafka: Kafka, topicPrefix: string, groupPrefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Groups first: a group's committed offsets refer to the topics. A member that has just stopped can
    // count until its session times out (NON_EMPTY_GROUP, seen at load 45+): asked again until then.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { groups } = await admin.listGroups();
      const groupIds = groups.map((g) => g.groupId).filter((g) => g.startsWith(groupPrefix));
      if (groupIds.length === 0) break;
      try {
        await admin.deleteGroups(groupIds);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await delay(1000);
      }
    }
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 15_000 });
  } finally {
    await admin.disconnect();
  }
}

async function dropOpenSearch(client: OpenSearchClient, prefix: string): Promise<void> {
  const pattern = `${prefix}*`;
  const ignore404 = { ignore: [404] };
  await client.indices.deleteDataStream({ name: pattern }, ignore404);
  await client.indices.delete(
    { index: pattern, expand_wildcards: 'all', ignore_unavailable: true },
    ignore404,
  );
  const templates = await client.indices.getIndexTemplate({ name: pattern }, ignore404);
  for (const { name } of templates.body.index_templates ?? [])
    await client.indices.deleteIndexTemplate({ name });
  const components = await client.cluster.getComponentTemplate({ name: pattern }, ignore404);
  for (const { name } of components.body.component_templates ?? [])
    await client.cluster.deleteComponentTemplate({ name });
}

async function dropSchema(schema: string): Promise<void> {
  const admin = pgClient();
  try {
    await admin`DROP SCHEMA IF EXISTS ${admin(schema)} CASCADE`;
  } finally {
    await admin.end({ timeout: 1 });
  }
}

async function dropBucket(s3: S3Client, bucket: string): Promise<void> {
  const keys: string[] = [];
  try {
    for await (const object of s3.listAllObjects(bucket)) keys.push(object.key);
  } catch (error) {
    if (error instanceof S3Error && error.code === 'NoSuchBucket') return; // never created
    throw error;
  }
  await s3.deleteObjects(bucket, keys);
  await s3.deleteBucket(bucket);
}
