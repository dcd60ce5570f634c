// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import * as v from 'valibot';
import { hostPortListItemSchema, splitHostPortLists } from '../../core/config/fields/address.ts';
import { durationSchema, sizeSchema } from '../../core/units/schema.ts';

const positiveInt = () => v.pipe(v.number(), v.integer(), v.minValue(1));

const embeddedBus = v.strictObject({
  kind: v.optional(v.pipe(v.literal('embedded'), v.description('Which bus to use.')), 'embedded'),
  dir: v.optional(
    v.pipe(v.string(), v.description('Directory holding the log segments and consumer offsets.')),
    './data/bus',
  ),
  partitions: v.optional(
    v.pipe(positiveInt(), v.description('Partitions per topic; more lets more work run in parallel.')),
    4,
  ),
  fsync: v.optional(
    v.pipe(
      v.picklist(['always', 'interval', 'never']),
      v.description(
        'When appended records reach the disk. `always`: before each produce is acknowledged (no acknowledged record is lost on power failure). `interval`: every `fsync_interval` (up to that much can be lost). `never`: left to the OS.',
      ),
    ),
    'always',
  ),
  fsync_interval: v.optional(
    v.pipe(durationSchema({ min: 1 }), v.description('How often to fsync when `fsync: interval`.')),
    '1s',
  ),
  segment_bytes: v.optional(
    v.pipe(
      sizeSchema({ min: 1024 }),
      v.description(
        'Size at which a segment file is closed and a new one started; retention drops whole segments.',
      ),
    ),
    '64MiB',
  ),
  retention: v.optional(
    v.pipe(
      v.strictObject({
        max_age: v.optional(
          v.pipe(
            durationSchema(),
            v.description('Segments older than this are deleted once every consumer group has read them.'),
          ),
          '7d',
        ),
        max_bytes: v.optional(
          v.pipe(
            sizeSchema(),
            v.description('Largest size of one partition on disk; the oldest segments go first.'),
          ),
          '10GiB',
        ),
      }),
      v.description('How long the bus keeps records already consumed.'),
    ),
    {},
  ),
});

const kafkaBus = v.strictObject({
  kind: v.pipe(v.literal('kafka'), v.description('Which bus to use.')),
  brokers: v.optional(
    v.pipe(
      v.array(hostPortListItemSchema()),
      v.transform(splitHostPortLists),
      v.minLength(1),
      v.description(
        'Bootstrap brokers, `host:port`; an item may hold several separated by commas (`["${SLUICE_KAFKA_BROKERS}"]`).',
      ),
    ),
    ['127.0.0.1:9092'],
  ),
  topic_prefix: v.optional(
    v.pipe(
      v.string(),
      v.description('Put before every topic name: `<prefix>logs.raw`. Use it to share one cluster.'),
    ),
    '',
  ),
  partitions: v.optional(
    v.pipe(
      positiveInt(),
      v.description('Partitions of topics Sluice creates; the most consumers one group can use.'),
    ),
    12,
  ),
  replication: v.optional(
    v.pipe(
      positiveInt(),
      v.description('Replication factor of topics Sluice creates; 3 keeps data through one broker loss.'),
    ),
    3,
  ),
  client_id: v.optional(
    v.pipe(v.string(), v.nonEmpty(), v.description('Kafka client id, shown in broker logs and quotas.')),
    'sluice',
  ),
  sasl: v.optional(
    v.pipe(
      v.strictObject({
        mechanism: v.optional(
          v.pipe(v.picklist(['plain', 'scram-sha-256', 'scram-sha-512']), v.description('SASL mechanism.')),
          'scram-sha-512',
        ),
        username: v.pipe(v.string(), v.description('SASL user name.'), v.metadata({ example: 'sluice' })),
        password: v.pipe(
          v.string(),
          v.description('SASL password; use `${KAFKA_PASSWORD}`.'),
          v.metadata({ example: '${KAFKA_PASSWORD}' }),
        ),
      }),
      v.description('SASL authentication; absent means none.'),
    ),
  ),
  ssl: v.optional(
    v.pipe(
      v.strictObject({
        ca_file: v.optional(
          v.pipe(
            v.string(),
            v.description(
              "PEM file of the CA that signed the brokers' certificates; absent uses the system CAs.",
            ),
          ),
        ),
        cert_file: v.optional(v.pipe(v.string(), v.description('PEM client certificate, for mutual TLS.'))),
        key_file: v.optional(v.pipe(v.string(), v.description('PEM private key of `cert_file`.'))),
        insecure_skip_verify: v.optional(
          v.pipe(v.boolean(), v.description('Accept any broker certificate. For tests only.')),
          false,
        ),
      }),
      v.description('Connect with TLS; present (even `{}`) turns it on.'),
    ),
  ),
});

export const busSchema = v.optional(
  v.pipe(
    v.variant('kind', [embeddedBus, kafkaBus]),
    v.description('The durable log between gateway and workers: embedded (a local directory) or Kafka.'),
  ),
  { kind: 'embedded' },
);

const sqliteSearch = v.strictObject({
  kind: v.optional(v.pipe(v.literal('sqlite'), v.description('Which search store to use.')), 'sqlite'),
  path: v.optional(
    v.pipe(
      v.string(),
      v.description(
        'Directory of the SQLite (FTS5) databases, one per tenant per day, so retention deletes files.',
      ),
    ),
    './data/search',
  ),
});

const opensearchSearch = v.strictObject({
  kind: v.pipe(v.literal('opensearch'), v.description('Which search store to use.')),
  nodes: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.url())), v.minLength(1), v.description('OpenSearch node URLs.')),
    ['http://127.0.0.1:9200'],
  ),
  index_prefix: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lower-case letters, digits, "_" and "-"'),
      v.description('Indices are named `<prefix>-<tenant>-YYYY.MM.DD`.'),
    ),
    'sluice',
  ),
  shards: v.optional(v.pipe(positiveInt(), v.description('Primary shards per daily index.')), 1),
  replicas: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(0), v.description('Replicas per shard.')),
    1,
  ),
  username: v.optional(v.pipe(v.string(), v.description('Basic-auth user; absent means no authentication.'))),
  password: v.optional(
    v.pipe(v.string(), v.description('Basic-auth password; use `${OPENSEARCH_PASSWORD}`.')),
  ),
  ca_file: v.optional(v.pipe(v.string(), v.description('PEM CA file for https nodes with a private CA.'))),
});

export const searchSchema = v.optional(
  v.pipe(
    v.variant('kind', [sqliteSearch, opensearchSearch]),
    v.description('Where events are indexed for search: SQLite (standalone) or OpenSearch.'),
  ),
  { kind: 'sqlite' },
);

const sqliteMetrics = v.strictObject({
  kind: v.optional(v.pipe(v.literal('sqlite'), v.description('Which metrics store to use.')), 'sqlite'),
  path: v.optional(
    v.pipe(v.string(), v.description('SQLite database file for metric points.')),
    './data/metrics.db',
  ),
});

const postgresMetrics = v.strictObject({
  kind: v.pipe(v.literal('postgres'), v.description('Which metrics store to use.')),
  url: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^postgres(ql)?:\/\//, 'expected a URL such as postgres://user:pass@host:5432/db'),
      v.description('Connection URL; put the password in `${PGPASSWORD}`-style variables.'),
    ),
    'postgres://127.0.0.1:5432/sluice',
  ),
  schema: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z_][a-z0-9_]*$/, 'expected a schema name: lower-case letters, digits and "_"'),
      v.description("PostgreSQL schema for Sluice's tables (created if missing)."),
    ),
    'public',
  ),
});

export const metricsSchema = v.optional(
  v.pipe(
    v.variant('kind', [sqliteMetrics, postgresMetrics]),
    v.description(
      'Where metric points (counts, rates, aggregates) are stored: SQLite or PostgreSQL/TimescaleDB.',
    ),
  ),
  { kind: 'sqlite' },
);

const localArchive = v.strictObject({
  kind: v.optional(v.pipe(v.literal('local'), v.description('Which archive to use.')), 'local'),
  dir: v.optional(v.pipe(v.string(), v.description('Directory of the Parquet files.')), './data/archive'),
});

const s3Archive = v.strictObject({
  kind: v.pipe(v.literal('s3'), v.description('Which archive to use.')),
  endpoint: v.optional(
    v.pipe(
      v.string(),
      v.url(),
      v.description('S3-compatible endpoint URL; absent means AWS S3 in `region`.'),
    ),
  ),
  bucket: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Bucket name.'),
    v.metadata({ example: 'acme-logs' }),
  ),
  region: v.optional(v.pipe(v.string(), v.description('Region used to sign requests.')), 'us-east-1'),
  prefix: v.optional(v.pipe(v.string(), v.description('Key prefix inside the bucket, e.g. `sluice/`.')), ''),
  access_key_id: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Access key id; use `${AWS_ACCESS_KEY_ID}`.'),
    v.metadata({ example: '${AWS_ACCESS_KEY_ID}' }),
  ),
  secret_access_key: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Secret access key; use `${AWS_SECRET_ACCESS_KEY}`.'),
    v.metadata({ example: '${AWS_SECRET_ACCESS_KEY}' }),
  ),
  force_path_style: v.optional(
    v.pipe(
      v.boolean(),
      v.description(
        'Address the bucket as `endpoint/bucket` (MinIO, most non-AWS stores) instead of `bucket.endpoint`.',
      ),
    ),
    false,
  ),
});

export const archiveSchema = v.optional(
  v.pipe(
    v.variant('kind', [localArchive, s3Archive]),
    v.description(
      'Where hourly Parquet files of all events are kept: a local directory or S3-compatible storage.',
    ),
  ),
  { kind: 'local' },
);
