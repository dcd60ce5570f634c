/**
 * `backend/main.ts --check-config` against the deploy/local engines: every component ok while they are up,
 * and each way one component can be unusable (nothing listening, wrong credentials or rights, missing
 * bucket, a directory that cannot be written) failing its own line, and only its own, with exit 1.
 * Engines are never stopped: "down" is an address nothing listens on (freePort).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as v from 'valibot';
import { KAFKA_CLIENTS, kafkaBusSchema } from '../../../backend/engines/bus/kafka/config.ts';
import {
  ALL_ENGINES,
  engineSettings,
  type Isolation,
  isolate,
  isolatedEngines,
  pgClient,
  requireEngines,
} from '../../helpers/engines.ts';
import { freePort } from '../../helpers/freePort.ts';
import { spawnNode } from '../../helpers/nodeProcess.ts';

type Config = Record<string, unknown>;

const DEFAULT_CLIENT = v.parse(kafkaBusSchema, { kind: 'kafka' }).client;

let iso: Isolation;
let dir: string;

/** The distributed config on this test's own topics, indices, schema and bucket. */
async function distributed(): Promise<Config> {
  return { listen: { gateway: `127.0.0.1:${await freePort()}` }, ...isolatedEngines(iso) };
}

/** The standalone config, everything under this test's temporary directory. */
async function standalone(): Promise<Config> {
  return {
    listen: { gateway: `127.0.0.1:${await freePort()}` },
    bus: { kind: 'embedded', dir: join(dir, 'data/bus') },
    search: { kind: 'sqlite', path: join(dir, 'data/search') },
    metrics: { kind: 'sqlite', path: join(dir, 'data/metrics.db') },
    archive: { kind: 'local', dir: join(dir, 'data/archive') },
  };
}

interface Checked {
  code: number | null;
  lines: string[];
  /** The line of one component (`bus`, `search`, …), which must exist. */
  line(component: string): string;
  seconds: number;
  log: string;
}

async function checkConfig(config: Config): Promise<Checked> {
  // JSON is YAML, and spares this test an indentation-sensitive template.
  const file = join(dir, `sluice-${randomBytes(4).toString('hex')}.yaml`);
  await writeFile(file, JSON.stringify(config, null, 2));
  const started = Date.now();
  const child = spawnNode('check', ['backend/main.ts', '--config', file, '--check-config']);
  const code = await child.exited;
  const lines = child.lines();
  return {
    code,
    lines,
    seconds: (Date.now() - started) / 1000,
    log: child.logTail(),
    line(component) {
      const found = lines.find((l) => l.slice(5).startsWith(`${component} `));
      assert.ok(found !== undefined, `no line for ${component}:\n${lines.join('\n')}`);
      return found;
    },
  };
}

/** Exit 1, the named components FAIL with `why`, every other component ok, no stack trace. */
function assertOnlyFailed(checked: Checked, failing: Record<string, RegExp>): void {
  assert.equal(checked.code, 1, checked.log);
  for (const [component, why] of Object.entries(failing)) {
    const line = checked.line(component);
    assert.match(line, /^FAIL /, line);
    assert.match(line, why);
  }
  const others = checked.lines.filter(
    (l) => /^(ok {3}|FAIL )/.test(l) && !(l.slice(5).split(' ')[0] in failing),
  );
  for (const line of others) assert.match(line, /^ok {3}/, checked.log);
  assert.doesNotMatch(checked.log, /^\s+at /m, 'no stack trace');
  assert.match(
    checked.lines.at(-1) ?? '',
    new RegExp(`: ${Object.keys(failing).length} of \\d+ checks failed$`),
  );
}

describe('server --check-config on the local engines', () => {
  before(async () => {
    await requireEngines(...ALL_ENGINES);
    iso = isolate('check-config');
    await iso.s3().createBucket(iso.bucket);
    dir = await mkdtemp(join(tmpdir(), 'sluice-check-config-'));
  });
  after(async () => {
    await iso.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('says ok for every component with the engines up, and changes nothing in them', async () => {
    const checked = await checkConfig(await distributed());
    assert.equal(checked.code, 0, checked.log);
    assert.match(
      checked.line('bus'),
      new RegExp(
        `^ok {3}bus kafka 127\\.0\\.0\\.1:\\d+: 1 broker\\(s\\), 4 topic\\(s\\) can be created .*\\(client ${DEFAULT_CLIENT}\\)$`,
      ),
    );
    assert.match(checked.line('search'), /^ok {3}search opensearch http:\/\/.*index template .* accepted/);
    assert.match(checked.line('metrics'), /^ok {3}metrics postgres .*: reachable, tables can be created/);
    assert.match(
      checked.line('archive'),
      /^ok {3}archive s3 .*bucket .* exists, probe object written and deleted/,
    );
    assert.match(checked.line('alerts'), /^ok {3}alerts postgres /);
    assert.match(checked.line('listen'), /^ok {3}listen gateway 127\.0\.0\.1:\d+ can be listened on/);
    assert.match(checked.lines.at(-1) ?? '', /\.yaml: ok$/);
    assert.ok(checked.seconds < 30, `took ${checked.seconds} s`);

    // Nothing was created or left behind: the check validates, start-up creates.
    const admin = iso.kafka().admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(iso.topicPrefix));
    await admin.disconnect();
    assert.deepEqual(topics, []);
    const sql = pgClient();
    const schemas = await sql`SELECT 1 FROM pg_namespace WHERE nspname = ${iso.pgSchema}`;
    await sql.end({ timeout: 1 });
    assert.equal(schemas.length, 0, 'the schema created inside the check was rolled back');
    assert.deepEqual((await iso.s3().listObjectsV2(iso.bucket)).objects, []);
    const template = await iso
      .opensearch()
      .indices.existsIndexTemplate({ name: `${iso.indexPrefix}-events` });
    assert.equal(template.body, false, 'the index template was simulated, not stored');
  });

  it('fails the bus when nothing listens at bus.brokers', async () => {
    const config = await distributed();
    const port = await freePort();
    config.bus = { ...(config.bus as Config), brokers: [`127.0.0.1:${port}`] };
    const checked = await checkConfig(config);
    assertOnlyFailed(checked, {
      bus: new RegExp(
        `^FAIL bus kafka 127\\.0\\.0\\.1:${port}: no broker answers \\(ECONNREFUSED\\): start Kafka or fix bus\\.brokers$`,
      ),
    });
  });

  it('checks the brokers through the client bus.client names, the other client too', async () => {
    const config = await distributed();
    for (const client of KAFKA_CLIENTS.filter((c) => c !== DEFAULT_CLIENT)) {
      config.bus = { ...(config.bus as Config), client };
      const ok = await checkConfig(config);
      assert.equal(ok.code, 0, ok.log);
      assert.match(
        ok.line('bus'),
        new RegExp(
          `^ok {3}bus kafka 127\\.0\\.0\\.1:\\d+: 1 broker\\(s\\), 4 topic\\(s\\) can be created .*\\(client ${client}\\)$`,
        ),
      );
      const port = await freePort();
      const refused = await checkConfig({
        ...config,
        bus: { ...(config.bus as Config), brokers: [`127.0.0.1:${port}`] },
      });
      assertOnlyFailed(refused, {
        bus: new RegExp(`^FAIL bus kafka 127\\.0\\.0\\.1:${port}: no broker answers \\(ECONNREFUSED\\)`),
      });
    }
  });

  it('fails the bus when topics could not be created with bus.replication', async () => {
    const config = await distributed();
    config.bus = { ...(config.bus as Config), replication: 3 };
    const checked = await checkConfig(config);
    assertOnlyFailed(checked, {
      bus: /bus\.replication is 3 but the cluster has 1 broker\(s\): set bus\.replication: 1/,
    });
  });

  it('fails the bus within seconds when a broker accepts connections and never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const config = await distributed();
      config.bus = { ...(config.bus as Config), brokers: [`127.0.0.1:${port}`] };
      const checked = await checkConfig(config);
      assertOnlyFailed(checked, { bus: new RegExp(`^FAIL bus kafka 127\\.0\\.0\\.1:${port}: `) });
      // A hang would never end; the bound is the checks' own timeouts plus process start, which a loaded
      // machine can stretch to ~25 s, so only "ends well within a minute" is asserted.
      assert.ok(checked.seconds < 60, `took ${checked.seconds} s`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('fails search when nothing listens at search.nodes', async () => {
    const config = await distributed();
    const url = `http://127.0.0.1:${await freePort()}`;
    config.search = { ...(config.search as Config), nodes: [url] };
    const checked = await checkConfig(config);
    assertOnlyFailed(checked, {
      search:
        /^FAIL search opensearch http:\/\/127\.0\.0\.1:\d+: no OpenSearch answers .*: start it or fix search\.nodes$/,
    });
  });

  it('fails metrics and alerts (same database) when nothing listens at metrics.url', async () => {
    const config = await distributed();
    const url = new URL(engineSettings().pgUrl);
    url.port = String(await freePort());
    config.metrics = { ...(config.metrics as Config), url: url.toString() };
    const checked = await checkConfig(config);
    const why =
      /nothing answers \(ECONNREFUSED\): start PostgreSQL or fix the host and port in metrics\.url$/;
    assertOnlyFailed(checked, { metrics: why, alerts: why });
    assert.doesNotMatch(
      checked.line('metrics'),
      new RegExp(url.password || 'never-a-password'),
      'no password',
    );
  });

  it('fails metrics and alerts when the PostgreSQL user is unknown', async () => {
    const config = await distributed();
    const url = new URL(engineSettings().pgUrl);
    url.username = 'sluice_no_such_user';
    config.metrics = { ...(config.metrics as Config), url: url.toString() };
    const why = /authentication as sluice_no_such_user failed .*: fix the user or password in metrics\.url$/;
    assertOnlyFailed(await checkConfig(config), { metrics: why, alerts: why });
  });

  it('fails metrics and alerts when the user may not create the schema', async () => {
    const role = `sluice_norights_${randomBytes(3).toString('hex')}`;
    const sql = pgClient();
    await sql`CREATE ROLE ${sql(role)} LOGIN PASSWORD 'pw'`;
    try {
      const config = await distributed();
      const url = new URL(engineSettings().pgUrl);
      url.username = role;
      url.password = 'pw';
      config.metrics = { ...(config.metrics as Config), url: url.toString() };
      const why = new RegExp(
        `${role} lacks a right Sluice needs .*: GRANT CREATE ON DATABASE \\w+ TO ${role}`,
      );
      assertOnlyFailed(await checkConfig(config), { metrics: why, alerts: why });
    } finally {
      await sql`DROP ROLE ${sql(role)}`;
      await sql.end({ timeout: 1 });
    }
  });

  it('fails the archive when the bucket does not exist', async () => {
    const config = await distributed();
    const bucket = `${iso.bucket}-missing`;
    config.archive = { ...(config.archive as Config), bucket };
    const checked = await checkConfig(config);
    assertOnlyFailed(checked, {
      archive: new RegExp(
        `^FAIL archive s3 http://[^ ]+: bucket ${bucket} does not exist: create it or set archive\\.bucket$`,
      ),
    });
  });

  it('fails the archive when the secret key is wrong', async () => {
    const config = await distributed();
    config.archive = { ...(config.archive as Config), secret_access_key: 'not-the-secret' };
    assertOnlyFailed(await checkConfig(config), { archive: /fix archive\.secret_access_key$/ });
  });

  it('fails the archive when nothing listens at archive.endpoint', async () => {
    const config = await distributed();
    config.archive = { ...(config.archive as Config), endpoint: `http://127.0.0.1:${await freePort()}` };
    assertOnlyFailed(await checkConfig(config), {
      archive: /no answer from .* \(ECONNREFUSED\): start the object store or fix archive\.endpoint$/,
    });
  });

  it('says ok for a standalone config whose directories do not exist yet, and creates none', async () => {
    const checked = await checkConfig(await standalone());
    assert.equal(checked.code, 0, checked.log);
    for (const component of ['bus', 'search', 'metrics', 'archive', 'alerts'])
      assert.match(checked.line(component), / does not exist yet and can be created$/);
    const left = await import('node:fs/promises').then((fs) => fs.readdir(dir));
    assert.deepEqual(
      left.filter((name) => !name.endsWith('.yaml')),
      [],
    );
  });

  for (const [component, key] of [
    ['bus', 'dir'],
    ['search', 'path'],
    ['metrics', 'path'],
    ['archive', 'dir'],
  ] as const) {
    it(`fails ${component} when ${component}.${key} cannot be written`, async () => {
      // Tests may run as root, which writes through any mode bits: a path under a regular file
      // cannot be created by anyone.
      const file = join(dir, `not-a-dir-${component}`);
      await writeFile(file, 'a file where a directory was expected\n');
      const config = await standalone();
      config[component] = { ...(config[component] as Config), [key]: join(file, 'inside') };
      const failing: Record<string, RegExp> = {
        [component]: new RegExp(`^FAIL ${component} \\w+ .* set ${component}\\.${key}$`),
      };
      // The alert store lives beside the metrics file.
      if (component === 'metrics') failing.alerts = / set metrics\.path$/;
      assertOnlyFailed(await checkConfig(config), failing);
    });
  }

  it('fails listen when the address is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const config = await standalone();
      config.listen = { gateway: `127.0.0.1:${port}` };
      assertOnlyFailed(await checkConfig(config), {
        listen:
          /^FAIL listen gateway 127\.0\.0\.1:\d+: already in use: stop the process listening there or change listen\.gateway$/,
      });
    } finally {
      taken.close();
    }
  });

  it('checks only what the roles use: a gateway does not need the stores', async () => {
    const config = await distributed();
    config.search = { ...(config.search as Config), nodes: [`http://127.0.0.1:${await freePort()}`] };
    config.roles = ['gateway'];
    const checked = await checkConfig(config);
    assert.equal(checked.code, 0, checked.log);
    assert.deepEqual(
      checked.lines.filter((l) => /^(ok {3}|FAIL )/.test(l)).map((l) => l.slice(5).split(' ')[0]),
      ['bus', 'listen'],
    );
  });
});
