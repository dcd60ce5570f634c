import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { config, T0 } from '../testing/alertFixtures.ts';
import { AlertConfigError, configuredTenants, rulesFromConfig } from './configRules.ts';

describe('sluice.yaml alert rules', () => {
  it('become rules of every tenant with durations in milliseconds', () => {
    const [rule] = rulesFromConfig(
      config('alerts: { rules: [ { name: r, threshold: 3, window: 10m, for: 2m, group_by: [service] } ] }')
        .alerts,
      T0,
    );
    assert.deepEqual(rule, {
      name: 'r',
      tenant: null,
      source: 'config',
      query: '',
      windowMs: 600_000,
      op: '>',
      threshold: 3,
      forMs: 120_000,
      groupBy: ['service'],
      severity: 'warning',
      notify: null,
    });
  });

  it('stop start-up when they cannot run, naming the rule', () => {
    const refused = (rule: string, pattern: RegExp) =>
      assert.throws(
        () => rulesFromConfig(config(`alerts: { rules: [ ${rule} ] }`).alerts, T0),
        (error: unknown) => error instanceof AlertConfigError && pattern.test(error.message),
      );
    refused('{ name: q, query: "(a", threshold: 1 }', /"q": query: expected '\)'/);
    refused('{ name: g, threshold: 1, group_by: [ts] }', /"g": group_by field "ts"/);
    refused('{ name: n, op: "<", threshold: 0 }', /"n": .*never fire/);
  });

  it('run for every tenant events can arrive under', () => {
    const k = (name: string, tenant: string) => ({ name, tenant, key_sha256: name.repeat(64).slice(0, 64) });
    const withKeys = config(`
auth:
  keys:
    - { ${Object.entries(k('a', 'acme'))
      .map(([f, v]) => `${f}: ${v}`)
      .join(', ')}, roles: [ingest] }
    - { ${Object.entries(k('b', 'globex'))
      .map(([f, v]) => `${f}: ${v}`)
      .join(', ')}, roles: [read] }
proxy: { routes: [ { prefix: /orders, upstream: "http://127.0.0.1:9001", tenant: shop } ] }
`);
    assert.deepEqual(configuredTenants(withKeys), ['acme', 'globex', 'shop']);
    assert.deepEqual(configuredTenants(config('auth: { default_tenant: solo }')), ['solo']);
  });
});
