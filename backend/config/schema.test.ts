// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/config/configError.ts';
import { parseConfig } from '../../core/config/parseConfig.ts';
import { queryLimitsOf } from '../roles/query.ts';
import { ROLE_NAMES } from '../roles/table.ts';
import { type ServerConfig, serverConfigSchema } from './schema.ts';

const KEY = { name: 'agents', key_sha256: 'a'.repeat(64), tenant: 'acme', roles: ['ingest'] };

function parse(text: string, env: Record<string, string> = {}): ServerConfig {
  return parseConfig(text, 'sluice.yaml', serverConfigSchema, { env });
}

/** `path: message` of each problem, for asserting on what the user is told. */
function problems(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return assert.fail('expected sluice.yaml to be rejected');
}

describe('sluice.yaml schema', () => {
  it('gives a working standalone setup from an empty file', () => {
    const config = parse('');
    assert.deepEqual(config.listen, {
      gateway: '127.0.0.1:8080',
      query: '127.0.0.1:8081',
      metrics: '127.0.0.1:9465',
      processes: 1,
    });
    assert.deepEqual(config.bus, {
      kind: 'embedded',
      dir: './data/bus',
      partitions: 4,
      fsync: 'always',
      fsync_interval: 1000,
      segment_bytes: 64 * 1024 * 1024,
      retention: { max_age: 7 * 86_400_000, max_bytes: 10 * 1024 ** 3 },
    });
    assert.deepEqual(config.search, { kind: 'sqlite', path: './data/search' });
    assert.deepEqual(config.metrics, { kind: 'sqlite', path: './data/metrics.db' });
    assert.deepEqual(config.archive, { kind: 'local', dir: './data/archive' });
    assert.deepEqual(config.retention, {
      search: 604_800_000,
      metrics: 7_776_000_000,
      archive: 31_536_000_000,
      tenants: {},
      interval: 3_600_000,
    });
    assert.deepEqual(config.roles, ROLE_NAMES, 'every role of the table: standalone');
    assert.deepEqual(config.leases, { duration: 15_000 });
    assert.deepEqual(config.auth, { keys: [], default_tenant: 'default' });
    assert.equal(config.limits.max_body, 10 * 1024 * 1024);
    assert.equal(config.tls, undefined);
  });

  it('reads a distributed setup on Kafka, OpenSearch, PostgreSQL and S3', () => {
    const config = parse(
      [
        'listen: { gateway: "0.0.0.0:8080", query: "0.0.0.0:8081" }',
        'bus: { kind: kafka, brokers: ["k1:9092", "k2:9092"], topic_prefix: prod., sasl: { username: sluice, password: "${KAFKA_PASSWORD}" }, ssl: {} }',
        'search: { kind: opensearch, nodes: ["https://os1:9200"], replicas: 2 }',
        'metrics: { kind: postgres, url: "postgres://sluice@pg:5432/logs" }',
        'archive: { kind: s3, bucket: logs, endpoint: "http://minio:9000", access_key_id: ak, secret_access_key: sk, force_path_style: true }',
        `auth: { keys: [${JSON.stringify(KEY)}] }`,
        'roles: [processor, indexer]',
      ].join('\n'),
      { KAFKA_PASSWORD: 'pw' },
    );
    assert.equal(config.bus.kind, 'kafka');
    if (config.bus.kind !== 'kafka') return;
    assert.deepEqual(config.bus.brokers, ['k1:9092', 'k2:9092']);
    assert.deepEqual(config.bus.sasl, { mechanism: 'scram-sha-512', username: 'sluice', password: 'pw' });
    assert.deepEqual(config.bus.ssl, { insecure_skip_verify: false });
    assert.equal(config.bus.replication, 3);
    assert.deepEqual(config.search, {
      kind: 'opensearch',
      nodes: ['https://os1:9200'],
      index_prefix: 'sluice',
      shards: 1,
      replicas: 2,
      bulk_bytes: 8 * 1024 * 1024,
      bulk_requests: 2,
    });
    assert.deepEqual(config.metrics, {
      kind: 'postgres',
      url: 'postgres://sluice@pg:5432/logs',
      schema: 'public',
    });
    assert.equal(config.archive.kind === 's3' && config.archive.region, 'us-east-1');
    assert.deepEqual(config.roles, ['processor', 'indexer']);
  });

  it('takes Kafka brokers from one variable holding a comma-separated list (deploy/local/env.sh)', () => {
    const config = parse('bus: { kind: kafka, brokers: ["${SLUICE_KAFKA_BROKERS}"] }', {
      SLUICE_KAFKA_BROKERS: 'k1:9092, k2:9092,k3:9092',
    });
    assert.deepEqual(config.bus.kind === 'kafka' && config.bus.brokers, ['k1:9092', 'k2:9092', 'k3:9092']);
    assert.deepEqual(problems('bus: { kind: kafka, brokers: ["k1:9092,k2"] }'), [
      'bus.brokers[0]: expected host:port, or several separated by commas (host:port, IPv6 in brackets, port up to 65535), found "k1:9092,k2"',
    ]);
  });

  it('reads processing rules, windows with units, and per-tenant retention', () => {
    const config = parse(`
processing:
  enrich: { fields: { region: eu-west-1 }, services: { checkout: { team: payments } } }
  filter: [ { when: "level:debug" } ]
  sample: [ { when: "service:web level<=info", rate: 0.1 } ]
  mask: { rules: [ { name: ssn, pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' } ] }
  windows:
    - { name: checkout_p95_ms, kind: hopping, size: 5m, hop: 1m, aggregate: p95, field: duration_ms, where: "service:checkout" }
retention: { search: 14d, tenants: { acme: { search: 30d } } }
`);
    assert.deepEqual(config.processing.filter, [{ when: 'level:debug', action: 'drop' }]);
    assert.equal(config.processing.enrich.services.checkout.team, 'payments');
    assert.deepEqual(config.processing.windows[0], {
      name: 'checkout_p95_ms',
      kind: 'hopping',
      size: 300_000,
      hop: 60_000,
      allowed_lateness: 60_000,
      aggregate: 'p95',
      field: 'duration_ms',
      where: 'service:checkout',
    });
    assert.deepEqual(config.retention.tenants, { acme: { search: 30 * 86_400_000 } });
  });

  it('refuses a non-loopback address without API keys, and allows it with one', () => {
    assert.deepEqual(problems('listen: { gateway: "0.0.0.0:8080" }'), [
      'listen.gateway: listening on 0.0.0.0:8080 needs at least one key in auth.keys; add one, or listen on 127.0.0.1, found "0.0.0.0:8080"',
    ]);
    assert.equal(
      parse(`listen: { gateway: "0.0.0.0:8080" }\nauth: { keys: [${JSON.stringify(KEY)}] }`).auth.keys.length,
      1,
    );
  });

  it('names the allowed kinds of a store and suggests keys of the chosen kind', () => {
    assert.deepEqual(problems('bus: { kind: rabbitmq }'), [
      'bus.kind: expected one of "embedded", "kafka", found "rabbitmq"',
    ]);
    assert.deepEqual(problems('bus: { kind: kafka, broker: ["k:9092"] }'), [
      'bus.broker: unknown key "broker" — did you mean "brokers"?',
    ]);
    assert.deepEqual(problems('archive: { kind: s3, bucket: b }'), [
      'archive.access_key_id: required key is missing',
      'archive.secret_access_key: required key is missing',
    ]);
  });

  it('checks API keys: hash shape, tenant name, roles', () => {
    assert.deepEqual(
      problems('auth: { keys: [ { name: k, key_sha256: secret, tenant: Acme, roles: [write] } ] }'),
      [
        'auth.keys[0].key_sha256: expected 64 hex characters, the SHA-256 of the key (printf %s "$KEY" | sha256sum), found "secret"',
        'auth.keys[0].tenant: expected a tenant name: lower-case letters, digits, "_" and "-", up to 63, found "Acme"',
        'auth.keys[0].roles[0]: expected one of "ingest", "read", "admin", "operator", found "write"',
      ],
    );
  });

  it('gives an operator key no tenant, and every other key one', () => {
    const sha = KEY.key_sha256;
    const keys = (entry: string) => `auth: { keys: [ { name: k, key_sha256: ${sha}, ${entry} } ] }`;
    assert.equal(parse(keys('roles: [operator]')).auth.keys[0].tenant, undefined);
    assert.deepEqual(problems(keys('tenant: acme, roles: [operator]')), [
      'auth.keys[0]: an operator key manages every tenant and cannot be given one: remove `tenant`, or use the `admin` role for one tenant',
    ]);
    assert.deepEqual(problems(keys('roles: [operator, ingest]')), [
      'auth.keys[0]: an operator key cannot ingest nor be limited to services: give those to a key of the tenant',
    ]);
    assert.deepEqual(problems(keys('roles: [admin]')), [
      'auth.keys[0]: the key needs a `tenant` (only `operator` keys have none)',
    ]);
  });

  it('checks tenant names used as keys', () => {
    assert.deepEqual(problems('retention: { tenants: { Acme: { search: 30d } } }'), [
      'retention.tenants.Acme: expected a tenant name: lower-case letters, digits, "_" and "-", up to 63, found "Acme"',
    ]);
  });

  it('checks windows across keys', () => {
    assert.deepEqual(
      problems(`processing:
  windows:
    - { name: a, kind: hopping, size: 1m }
    - { name: b, size: 1m, hop: 10s }
    - { name: c, kind: hopping, size: 1m, hop: 2m }
    - { name: d, size: 1m, aggregate: avg }
    - { name: error_rate, size: 1m }
    - { name: f, size: 1m, kind: rolling }`),
      [
        'processing.windows[0].hop: required with kind: hopping, optional with sliding, not allowed with tumbling, found nothing',
        'processing.windows[1].hop: required with kind: hopping, optional with sliding, not allowed with tumbling, found "10s"',
        'processing.windows[2].hop: must be at most size, or events would fall between windows, found "2m"',
        'processing.windows[3].field: required with aggregate: avg, found nothing',
        'processing.windows[4].name: taken by a built-in metric (log_count, error_count, error_rate); choose another name, found "error_rate"',
        'processing.windows[5].kind: expected one of "tumbling", "hopping", "sliding", found "rolling"',
      ],
    );
  });

  it('rejects duplicate names where names are referred to', () => {
    assert.deepEqual(problems('processing: { windows: [ { name: a, size: 1m }, { name: a, size: 2m } ] }'), [
      'processing.windows: each window needs its own name',
    ]);
    assert.deepEqual(problems('alerts: { rules: [ { name: r, threshold: 1, notify: [pager] } ] }'), [
      'alerts.rules: notify names targets that alerts.notify does not define: pager',
    ]);
  });

  it('reads alerts with webhook and slack targets', () => {
    const config = parse(`alerts:
  rules: [ { name: errors, query: "level>=error", threshold: 10, notify: [oncall] } ]
  notify:
    - { kind: webhook, name: oncall, url: "https://hooks.example.com/x" }
    - { kind: slack, name: chat, url: "https://hooks.slack.com/services/x" }`);
    assert.deepEqual(config.alerts.rules[0], {
      name: 'errors',
      query: 'level>=error',
      window: 300_000,
      op: '>',
      threshold: 10,
      for: 0,
      group_by: [],
      severity: 'warning',
      notify: ['oncall'],
    });
    assert.deepEqual(config.alerts.notify[0], {
      kind: 'webhook',
      name: 'oncall',
      url: 'https://hooks.example.com/x',
      headers: {},
      timeout: 10_000,
    });
  });

  it('reads proxy routes and limits with units', () => {
    const config = parse(`proxy: { routes: [ { prefix: /orders, upstream: "http://127.0.0.1:9001" } ] }
limits: { max_body: 5MiB, rate: { events_per_second: 1000, tenants: { acme: { events_per_second: 50 } } } }`);
    assert.deepEqual(config.proxy.routes, [
      { prefix: '/orders', upstream: 'http://127.0.0.1:9001', timeout: 30_000, tenant: 'default' },
    ]);
    assert.equal(config.limits.max_body, 5 * 1024 * 1024);
    assert.deepEqual(config.limits.rate, {
      events_per_second: 1000,
      tenants: { acme: { events_per_second: 50 } },
    });
    assert.deepEqual(problems('proxy: { routes: [ { prefix: orders, upstream: "ftp://x" } ] }'), [
      'proxy.routes[0].prefix: expected a path prefix starting with "/", such as /orders, found "orders"',
      'proxy.routes[0].upstream: expected an http:// or https:// URL, found "ftp://x"',
    ]);
  });

  it('reads query limits with units, defaults filling the rest, and turns them into the API limits', () => {
    assert.deepEqual(parse('').limits.query, {
      per_key_rate: 50,
      per_key_burst: 100,
      timeout: 10_000,
      max_range: 31 * 86_400_000,
      max_limit: 1000,
      max_query_length: 4096,
      total_bound: 10_000,
    });
    const config = parse(
      'limits: { query: { per_key_rate: 200, timeout: 30s, max_range: 7d, max_limit: 50 } }',
    );
    const limits = queryLimitsOf(config.limits.query);
    assert.equal(limits.timeoutMs, 30_000);
    assert.equal(limits.maxRangeMs, 7 * 86_400_000);
    assert.equal(limits.maxLimit, 50);
    assert.equal(limits.defaultLimit, 50, 'the default page never exceeds the largest allowed');
    assert.equal(config.limits.query.per_key_rate, 200);
    assert.deepEqual(problems('limits: { query: { max_limit: 9000, timeout: soon } }'), [
      'limits.query.max_limit: expected a number of at most 5000, found 9000',
      'limits.query.timeout: expected a duration such as 500ms, 30s, 5m, 7d, found "soon": cannot read "soon"',
    ]);
  });

  it('rejects roles that do not exist and roles listed twice', () => {
    assert.deepEqual(problems('roles: [indexer, searcher]'), [
      `roles[1]: expected one of ${ROLE_NAMES.map((name) => `"${name}"`).join(', ')}, found "searcher"`,
    ]);
    assert.deepEqual(problems('roles: [indexer, indexer]'), ['roles: a role is listed twice']);
  });
});
