import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createKeyRing, sha256Hex } from '../../../core/auth/apiKeys.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import type { AlertInstance } from '../evaluate/alertInstance.ts';
import { rulesFromConfig } from '../rules/configRules.ts';
import { createRuleCatalog } from '../rules/ruleCatalog.ts';
import { config, openStores, type Stores, T0 } from '../testing/alertFixtures.ts';
import { createAlertsApi } from './alertsApi.ts';

const CONFIG = config(`
alerts:
  notify: [ { kind: webhook, name: oncall, url: "http://127.0.0.1:9/hook" } ]
  rules:
    - { name: from-file, query: "level>=error", threshold: 10 }
`);

const key = (
  name: string,
  tenant: string | undefined,
  roles: Array<'read' | 'admin' | 'ingest' | 'operator'>,
  services?: string[],
) => ({
  name,
  key_sha256: sha256Hex(`${name}-secret`),
  tenant,
  roles,
  services,
});
const KEYS = createKeyRing([
  key('acme-reader', 'acme', ['read']),
  key('globex-reader', 'globex', ['read']),
  key('acme-admin', 'acme', ['admin']),
  key('acme-checkout', 'acme', ['read'], ['checkout']),
  key('globex-admin', 'globex', ['admin']),
  key('ops', undefined, ['operator']),
]);

let stores: Stores;
let api: ReturnType<typeof createAlertsApi>;
beforeEach(async () => {
  stores = await openStores();
  api = createAlertsApi({
    keys: KEYS,
    catalog: createRuleCatalog(rulesFromConfig(CONFIG.alerts, T0), stores.store, silentLogger),
    store: stores.store,
    targets: ['oncall'],
    linkBase: '',
    now: () => T0,
    log: silentLogger,
  });
});
afterEach(() => stores.cleanup());

async function call(as: string, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${as}-secret` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await api.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

const RULE = {
  name: 'slow-checkout',
  query: 'service:checkout latency_ms>2000',
  threshold: 5,
  window: '10m',
  group_by: ['host'],
};

function alert(tenant: string, rule: string, state: AlertInstance['state']): AlertInstance {
  return {
    rule,
    tenant,
    groupKey: '[]',
    group: {},
    state,
    activeSince: T0,
    since: T0,
    count: 11,
    countExact: true,
    evaluatedAt: T0,
  };
}

describe('alerts API: rules', () => {
  it('creates a rule in the admin key’s tenant and answers 201 with it', async () => {
    const created = await call('acme-admin', 'POST', '/api/v1/alerts/rules', RULE);
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), '/api/v1/alerts/rules/slow-checkout?tenant=acme');
    assert.deepEqual(created.body, {
      name: 'slow-checkout',
      tenant: 'acme',
      source: 'api',
      query: 'service:checkout latency_ms>2000',
      window: '10m',
      op: '>',
      threshold: 5,
      for: '0s',
      group_by: ['host'],
      severity: 'warning',
      notify: null,
      state: 'inactive',
      last_evaluation: null,
      silenced_until: null,
      alerts: [],
    });
    const read = await call('acme-reader', 'GET', '/api/v1/alerts/rules/slow-checkout');
    assert.equal(read.status, 200);
    assert.equal(read.body.window, '10m');
  });

  it('shows a read key its tenant’s rules and sluice.yaml’s, never another tenant’s', async () => {
    await call('acme-admin', 'POST', '/api/v1/alerts/rules', RULE);
    await call('ops', 'POST', '/api/v1/alerts/rules?tenant=globex', { ...RULE, name: 'globex-only' });
    const names = async (as: string, path = '/api/v1/alerts/rules') =>
      (await call(as, 'GET', path)).body.rules.map(
        (r: { tenant: string | null; name: string }) => `${r.tenant}/${r.name}`,
      );
    assert.deepEqual(await names('acme-reader'), ['null/from-file', 'acme/slow-checkout']);
    assert.deepEqual(await names('globex-reader'), ['null/from-file', 'globex/globex-only']);
    assert.deepEqual(await names('acme-admin'), ['null/from-file', 'acme/slow-checkout']);
    assert.deepEqual(await names('ops'), ['null/from-file', 'acme/slow-checkout', 'globex/globex-only']);
    assert.equal((await call('globex-reader', 'GET', '/api/v1/alerts/rules/slow-checkout')).status, 404);
    const other = await call('acme-reader', 'GET', '/api/v1/alerts/rules?tenant=globex');
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'forbidden');
  });

  it('keeps an admin key to its own tenant: no reading, creating or deleting another tenant’s rules', async () => {
    assert.equal((await call('globex-admin', 'POST', '/api/v1/alerts/rules', RULE)).status, 201);
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/alerts/rules?tenant=globex'],
      ['GET', '/api/v1/alerts/rules/slow-checkout?tenant=globex'],
      ['GET', '/api/v1/alerts/firing?tenant=globex'],
      ['POST', '/api/v1/alerts/rules', { ...RULE, name: 'planted', tenant: 'globex' }],
      ['POST', '/api/v1/alerts/rules?tenant=globex', { ...RULE, name: 'planted' }],
      ['PUT', '/api/v1/alerts/rules/slow-checkout?tenant=globex', RULE],
      ['DELETE', '/api/v1/alerts/rules/slow-checkout?tenant=globex'],
    ];
    for (const [method, path, body] of attempts) {
      const refused = await call('acme-admin', method, path, body);
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body.error.code, 'forbidden');
    }
    const globex = await call('globex-reader', 'GET', '/api/v1/alerts/rules');
    assert.deepEqual(
      globex.body.rules.map((r: { name: string }) => r.name),
      ['from-file', 'slow-checkout'],
    );
    // The operator manages every tenant, and must say which one a rule belongs to.
    assert.equal((await call('ops', 'GET', '/api/v1/alerts/rules?tenant=globex')).status, 200);
    const unnamed = await call('ops', 'POST', '/api/v1/alerts/rules', { ...RULE, name: 'where' });
    assert.equal(unnamed.status, 400);
    assert.equal(unnamed.body.error.code, 'tenant_required');
    assert.equal(
      (await call('ops', 'DELETE', '/api/v1/alerts/rules/slow-checkout?tenant=globex')).status,
      204,
    );
  });

  it('refuses a tenant= that is no tenant name with 400 before storing anything (no header injection)', async () => {
    for (const as of ['ops', 'acme-admin']) {
      const response = await call(as, 'POST', '/api/v1/alerts/rules?tenant=x%0d%0aSet-Cookie:%20a=b', RULE);
      assert.equal(response.status, 400, as);
      assert.equal(response.body.error.code, 'bad_tenant');
      const body = await call(as, 'POST', '/api/v1/alerts/rules', {
        ...RULE,
        tenant: 'x\r\nSet-Cookie: a=b',
      });
      assert.equal(body.status, 422, `${as}: body tenant`);
    }
    assert.deepEqual(
      (await stores.store.listRules(null)).map((r) => r.name),
      [],
    );
  });

  it('lets only admin keys change rules', async () => {
    const refused = await call('acme-reader', 'POST', '/api/v1/alerts/rules', RULE);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /admin role/);
    assert.equal((await call('acme-reader', 'DELETE', '/api/v1/alerts/rules/slow-checkout')).status, 403);
    assert.equal((await call('nobody', 'GET', '/api/v1/alerts/rules')).status, 401);
  });

  it('refuses keys limited to some services, whose scope rule counts would cross', async () => {
    const response = await call('acme-checkout', 'GET', '/api/v1/alerts/firing');
    assert.equal(response.status, 403);
    assert.match(response.body.error.message, /services/);
  });

  it('replaces and deletes API rules', async () => {
    await call('acme-admin', 'POST', '/api/v1/alerts/rules', RULE);
    const replaced = await call('acme-admin', 'PUT', '/api/v1/alerts/rules/slow-checkout', {
      ...RULE,
      threshold: 50,
      notify: ['oncall'],
    });
    assert.equal(replaced.status, 200);
    assert.deepEqual([replaced.body.threshold, replaced.body.notify], [50, ['oncall']]);
    const renamed = await call('acme-admin', 'PUT', '/api/v1/alerts/rules/slow-checkout', {
      ...RULE,
      name: 'other',
    });
    assert.equal(renamed.status, 400);
    assert.equal((await call('acme-admin', 'DELETE', '/api/v1/alerts/rules/slow-checkout')).status, 204);
    assert.equal((await call('acme-admin', 'DELETE', '/api/v1/alerts/rules/slow-checkout')).status, 404);
    assert.equal((await call('acme-admin', 'PUT', '/api/v1/alerts/rules/slow-checkout', RULE)).status, 404);
  });

  it('keeps sluice.yaml rules read-only: 409 naming the file', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const response = await call('acme-admin', method, '/api/v1/alerts/rules/from-file', {
        ...RULE,
        name: 'from-file',
      });
      assert.equal(response.status, 409, method);
      assert.equal(response.body.error.code, 'rule_from_config');
      assert.match(response.body.error.message, /sluice\.yaml/);
    }
    const clash = await call('acme-admin', 'POST', '/api/v1/alerts/rules', { ...RULE, name: 'from-file' });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'rule_exists');
  });

  it('refuses a second rule of the same name in one tenant, but not in another', async () => {
    assert.equal((await call('acme-admin', 'POST', '/api/v1/alerts/rules', RULE)).status, 201);
    assert.equal((await call('acme-admin', 'POST', '/api/v1/alerts/rules', RULE)).status, 409);
    assert.equal((await call('ops', 'POST', '/api/v1/alerts/rules?tenant=globex', RULE)).status, 201);
  });
});

describe('alerts API: validation', () => {
  it('answers 400 with the position for a query that does not parse', async () => {
    const response = await call('acme-admin', 'POST', '/api/v1/alerts/rules', {
      ...RULE,
      query: 'level>=error (',
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'query_syntax');
    assert.deepEqual(response.body.error.details, [{ path: 'query', position: 14 }]);
  });

  it('answers 422 naming each wrong field', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ window: '5 parsecs' }, 'window', /duration/],
      [{ window: '30d' }, 'window', /largest allowed is 7d/],
      [{ for: -1 }, 'for', /negative/],
      [{ op: '==' }, 'op', /one of > >= < <=/],
      [{ threshold: 'ten' }, 'threshold', /number/],
      [{ name: 'no spaces please' }, 'name', /letters, digits/],
      [{ group_by: ['message'] }, 'group_by', /cannot group by/],
      [{ notify: ['pager'] }, 'notify', /no notify target named pager/],
      [{ op: '<', threshold: 0 }, 'threshold', /never fire/],
      [{ thresold: 3 }, '', /thresold/],
    ];
    for (const [change, path, message] of cases) {
      const response = await call('acme-admin', 'POST', '/api/v1/alerts/rules', { ...RULE, ...change });
      assert.equal(response.status, 422, JSON.stringify(change));
      assert.equal(response.body.error.code, 'invalid_rule');
      const detail = response.body.error.details[0];
      if (path !== '') assert.equal(detail.path, path, JSON.stringify(change));
      assert.match(detail.message + response.body.error.message, message, JSON.stringify(change));
    }
  });

  it('wants a JSON body', async () => {
    const response = await api.request('/api/v1/alerts/rules', {
      method: 'POST',
      headers: { authorization: 'Bearer acme-admin-secret', 'content-type': 'text/plain' },
      body: 'name=x',
    });
    assert.equal(response.status, 415);
    const broken = await api.request('/api/v1/alerts/rules', {
      method: 'POST',
      headers: { authorization: 'Bearer acme-admin-secret', 'content-type': 'application/json' },
      body: '{"name":',
    });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { error: { code: string } }).error.code, 'bad_json');
  });
});

describe('alerts API: firing', () => {
  it('lists the tenant’s firing and pending alerts, firing first, with the rule’s condition', async () => {
    await call('acme-admin', 'POST', '/api/v1/alerts/rules', RULE);
    await stores.store.saveAlerts({
      upsert: [
        alert('acme', 'from-file', 'pending'),
        alert('acme', 'slow-checkout', 'firing'),
        alert('acme', 'slow-checkout', 'resolved'),
        alert('globex', 'from-file', 'firing'),
      ].map((a, i) => ({ ...a, groupKey: `[${i}]` })),
      remove: [],
    });
    const acme = await call('acme-reader', 'GET', '/api/v1/alerts/firing');
    assert.equal(acme.status, 200);
    assert.deepEqual(
      acme.body.alerts.map((a: { rule: string; tenant: string; state: string }) => [
        a.rule,
        a.tenant,
        a.state,
      ]),
      [
        ['slow-checkout', 'acme', 'firing'],
        ['from-file', 'acme', 'pending'],
      ],
    );
    assert.deepEqual([acme.body.alerts[0].op, acme.body.alerts[0].threshold], ['>', 5]);
    const all = await call('ops', 'GET', '/api/v1/alerts/firing');
    assert.equal(all.body.alerts.length, 3);
    const rules = await call('globex-reader', 'GET', '/api/v1/alerts/rules');
    const fromFile = rules.body.rules.find((r: { name: string }) => r.name === 'from-file');
    assert.equal(fromFile.state, 'firing');
    assert.deepEqual(
      fromFile.alerts.map((a: { tenant: string }) => a.tenant),
      ['globex'],
    );
  });
});

describe('alerts API: silences and status', () => {
  it('says whether the key may edit, and shows each rule’s last evaluation', async () => {
    await stores.store.recordEvaluations([
      { tenant: 'acme', rule: 'from-file', at: T0 - 1000, count: 3, error: null },
    ]);
    const asReader = await call('acme-reader', 'GET', '/api/v1/alerts/rules');
    assert.equal(asReader.body.can_edit, false);
    assert.deepEqual(asReader.body.rules[0].last_evaluation, {
      at: new Date(T0 - 1000).toISOString(),
      count: 3,
      error: null,
    });
    assert.equal((await call('acme-admin', 'GET', '/api/v1/alerts/rules')).body.can_edit, true);
    assert.equal((await call('ops', 'GET', '/api/v1/alerts/rules')).body.can_edit, true);
  });

  it('silences a rule (also a sluice.yaml one) for admins only, within bounds, and ends the silence', async () => {
    const path = '/api/v1/alerts/rules/from-file/silence';
    assert.equal((await call('acme-reader', 'PUT', path, { for: '1h' })).status, 403);
    const silenced = await call('acme-admin', 'PUT', path, { for: '1h' });
    assert.equal(silenced.status, 200);
    assert.equal(silenced.body.silenced_until, new Date(T0 + 3_600_000).toISOString());
    // Another tenant's view of the same sluice.yaml rule is not silenced.
    const globex = await call('globex-admin', 'GET', '/api/v1/alerts/rules/from-file');
    assert.equal(globex.body.silenced_until, null);
    for (const bad of [
      {},
      { for: '1h', until: 'now+2h' },
      { for: '-1h' },
      { for: '31d' },
      { for: 'soon' },
      { x: 1 },
    ]) {
      const answer = await call('acme-admin', 'PUT', path, bad);
      assert.equal(answer.status, 400, JSON.stringify(bad));
      assert.equal(answer.body.error.code, 'bad_silence');
    }
    assert.equal(
      (await call('acme-admin', 'PUT', '/api/v1/alerts/rules/nope/silence', { for: '1h' })).status,
      404,
    );
    const ended = await call('acme-admin', 'DELETE', path);
    assert.equal(ended.status, 200);
    assert.equal(ended.body.silenced_until, null);
  });
});
