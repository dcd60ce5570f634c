import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { createKeyRing, sha256Hex } from '../../core/auth/apiKeys.ts';
import { listen } from '../../core/http/listen.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { freePort } from '../../test/helpers/freePort.ts';
import { createAlertsApi } from '../alerts/api/alertsApi.ts';
import { rulesFromConfig } from '../alerts/rules/configRules.ts';
import { createRuleCatalog } from '../alerts/rules/ruleCatalog.ts';
import { config, openStores, type Stores, T0 } from '../alerts/testing/alertFixtures.ts';
import { DAY, HOUR, KEYS, NOW, type QueryHarness, startQueryHarness } from '../query/testing/queryHarness.ts';
import { seedWorld } from '../query/testing/world.ts';
import { runCli } from './run.ts';

/** Runs the CLI in this process, as `sluice <argv>` would, capturing what it writes. */
async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env,
  });
  return { code, stdout, stderr };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('sluice CLI: usage errors', () => {
  for (const [argv, pattern] of [
    [['search', 'x', '--frm', 'now-1h'], /^sluice: search: unknown option '--frm' \(it takes/],
    [
      ['search', 'x', '--url', 'notaurl'],
      /^sluice: --url 'notaurl' is not a URL; write it as http:\/\/host:port/,
    ],
    [['stats', 'x | top host', '--url', 'ftp://h'], /not an http\(s\) URL/],
    [['search', 'x', '--limit', '5000'], /--limit must be a whole number from 1 to 1000.*use --all/],
    [['search', 'x', '--limit'], /argument missing|--limit/],
    [['serch', 'x'], /unknown command 'serch'/],
    [['--json', 'search'], /a command comes first/],
    [['stats', 'level>=error'], /stats needs a pipe/],
    [['stats', 'x | top host', '--csv', '--json'], /one of --csv and --json/],
    [['search', 'a', 'b'], /unexpected argument 'b'/],
    [['alerts'], /alerts needs a subcommand/],
    [['alerts', 'mute', 'x'], /unknown subcommand 'mute'/],
    [['alerts', 'silence', 'x'], /needs one of --for or --until/],
    [['alerts', 'create', 'x'], /needs a rule name and --threshold/],
    [['trace'], /trace needs a correlation ID/],
    [[], /^usage:/],
  ] as const) {
    it(`exits 2 with one line for: sluice ${argv.join(' ')}`, async () => {
      const run = await cli([...argv]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, pattern);
      if (argv.length > 0) assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at /); // no stack trace
    });
  }

  it('exits 1 with one line when the server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await cli(['search', 'x', '--url', url]);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `sluice: cannot reach ${url}: ECONNREFUSED; is Sluice running there? (--url, SLUICE_URL)\n`,
    );
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('prints usage on --help and exits 0', async () => {
    const run = await cli(['stats', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /sluice stats/);
  });
});

describe('sluice stats', () => {
  let h: QueryHarness;
  const base = (extra: string[] = []) => ['--url', h.url, '--key', KEYS.acme, '--to', iso(NOW), ...extra];

  before(async () => {
    h = await startQueryHarness();
    await seedWorld(h);
  });
  after(() => h.close());

  it('prints the aggregate as an aligned table, numbers right-aligned', async () => {
    const run = await cli(['stats', '| stats count() by service', ...base(['--from', iso(NOW - HOUR)])]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      'service  count()\n-------  -------\napi            6\nweb            6\nworker         6\n',
    );
    assert.match(run.stderr, /^3 rows in \d+ ms\n$/);
  });

  it('writes CSV and JSON lines for scripts', async () => {
    const csv = await cli(['stats', '| top 2 level', ...base(['--from', iso(NOW - HOUR), '--csv'])]);
    assert.equal(csv.stdout, 'level,count()\ndebug,6\nerror,6\n');
    const json = await cli(['stats', '| top 1 level', ...base(['--from', iso(NOW - HOUR), '--json'])]);
    assert.deepEqual(JSON.parse(json.stdout), { level: 'debug', 'count()': 6 });
  });

  it('reports progress on stderr while reading the archive', async () => {
    const run = await cli(['stats', '| stats count() by level', ...base(['--from', iso(NOW - 3 * DAY)])]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^archive: \d+\/\d+ files \(100 %\)$/m);
    assert.match(run.stderr, /archive: \d+ files, \d+ row groups read, \d+ skipped/);
  });

  it('exits 2 with the API’s message and position for a bad query', async () => {
    const run = await cli(['stats', 'level>=warn | stats avg(service)', ...base()]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^sluice: 400 query_syntax: avg\(\) reads numeric attributes; 'service' is not one \(at position 20\)/,
    );
  });

  it('exits 1 on a wrong key', async () => {
    const run = await cli(['stats', '* | top host', '--url', h.url, '--key', 'nope']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^sluice: 401 /);
  });
});

describe('sluice alerts', () => {
  let stores: Stores;
  let server: { url: string; close(): Promise<void> };
  const admin = 'acme-admin-secret';
  const as = (key: string) => ['--url', server.url, '--key', key];

  before(async () => {
    stores = await openStores();
    const keys = createKeyRing([
      { name: 'acme-admin', key_sha256: sha256Hex(admin), tenant: 'acme', roles: ['admin'] },
      { name: 'acme-reader', key_sha256: sha256Hex('reader'), tenant: 'acme', roles: ['read'] },
    ]);
    const cfg = config(
      'alerts:\n  rules:\n    - { name: from-file, query: "level>=error", threshold: 10 }\n',
    );
    const app = new Hono();
    app.route(
      '/',
      createAlertsApi({
        keys,
        catalog: createRuleCatalog(rulesFromConfig(cfg.alerts, T0), stores.store, silentLogger),
        store: stores.store,
        targets: [],
        linkBase: '',
        now: () => T0,
        log: silentLogger,
      }),
    );
    server = await listen(app.fetch, { address: '127.0.0.1:0', hasKeys: true });
  });
  after(async () => {
    await server.close();
    await stores.cleanup();
  });

  it('creates, lists, shows and silences rules', async () => {
    const created = await cli([
      'alerts',
      'create',
      'slow',
      '--query',
      'service:checkout latency_ms>2000',
      '--threshold',
      '5',
      '--window',
      '10m',
      '--group-by',
      'host',
      ...as(admin),
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr, 'created alert rule slow (tenant acme)\n');
    const list = await cli(['alerts', 'list', ...as('reader')]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^RULE\s+STATE\s+SEVERITY\s+CONDITION\s+QUERY\n/);
    assert.match(
      list.stdout,
      /^slow\s+inactive\s+warning\s+count > 5 in 10m by host\s+service:checkout latency_ms>2000$/m,
    );
    assert.match(list.stdout, /^from-file\s+inactive/m);
    const silenced = await cli(['alerts', 'silence', 'slow', '--for', '1h', ...as(admin)]);
    assert.equal(silenced.code, 0, silenced.stderr);
    assert.equal(silenced.stderr, `slow silenced until ${iso(T0 + HOUR)}\n`);
    const shown = await cli(['alerts', 'show', 'slow', ...as('reader')]);
    assert.match(shown.stdout, new RegExp(`^  silenced  until ${iso(T0 + HOUR)}$`, 'm'));
    assert.match((await cli(['alerts', 'list', ...as('reader')])).stdout, /^slow\s+inactive \(silenced\)/m);
    const json = await cli(['alerts', 'show', 'slow', '--json', ...as('reader')]);
    assert.equal(JSON.parse(json.stdout).silenced_until, iso(T0 + HOUR));
    const cleared = await cli(['alerts', 'silence', 'slow', '--clear', ...as(admin)]);
    assert.equal(cleared.stderr, 'slow is not silenced\n');
    assert.doesNotMatch((await cli(['alerts', 'show', 'slow', ...as('reader')])).stdout, /silenced/);
  });

  it('says what the API refused, with exit 1 for a missing rule or role and 2 for an invalid one', async () => {
    const missing = await cli(['alerts', 'show', 'nope', ...as('reader')]);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      'sluice: 404 rule_not_found: tenant "acme" has no alert rule named "nope"\n',
    );
    const forbidden = await cli(['alerts', 'silence', 'from-file', '--for', '1h', ...as('reader')]);
    assert.equal(forbidden.code, 1);
    assert.match(forbidden.stderr, /^sluice: 403 /);
    const bad = await cli(['alerts', 'create', 'x', '--threshold', '1', '--query', 'level>=', ...as(admin)]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^sluice: 400 query_syntax/);
  });
});
