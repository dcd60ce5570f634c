import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../core/config/parseConfig.ts';
import { serverConfigSchema } from '../config/schema.ts';
import { isExpired, retentionPeriod, retentionPlan } from './plan.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24);

describe('retention plan', () => {
  it('drops each store before now minus its period', () => {
    const { retention } = parseConfig(
      'retention: { search: 7d, metrics: 90d, archive: 365d }',
      'sluice.yaml',
      serverConfigSchema,
    );
    assert.deepEqual(retentionPlan(retention, NOW), [
      { store: 'search', before: NOW - 7 * DAY },
      { store: 'archive', before: NOW - 365 * DAY },
      { store: 'metrics', before: NOW - 90 * DAY },
    ]);
  });

  it('gives tenants with overrides their own step and spares them in the global one', () => {
    const { retention } = parseConfig(
      'retention: { search: 7d, tenants: { acme: { search: 30d }, tiny: { search: 1d, archive: 30d } } }',
      'sluice.yaml',
      serverConfigSchema,
    );
    const plan = retentionPlan(retention, NOW);
    assert.deepEqual(
      plan.filter((s) => s.store === 'search'),
      [
        { store: 'search', before: NOW - 7 * DAY, exceptTenants: ['acme', 'tiny'] },
        { store: 'search', before: NOW - 30 * DAY, tenant: 'acme' },
        { store: 'search', before: NOW - 1 * DAY, tenant: 'tiny' },
      ],
    );
    assert.deepEqual(
      plan.filter((s) => s.store === 'archive'),
      [
        { store: 'archive', before: NOW - 365 * DAY, exceptTenants: ['tiny'] },
        { store: 'archive', before: NOW - 30 * DAY, tenant: 'tiny' },
      ],
    );
  });
});

describe('retention periods for writers', () => {
  const { retention } = parseConfig(
    'retention: { archive: 4d, tenants: { acme: { archive: 30d } } }',
    'sluice.yaml',
    serverConfigSchema,
  );

  it("takes a tenant's own period, else the global one", () => {
    assert.equal(retentionPeriod(retention, 'archive', 'acme'), 30 * DAY);
    assert.equal(retentionPeriod(retention, 'archive', 'globex'), 4 * DAY);
    assert.equal(retentionPeriod(retention, 'search', 'acme'), 7 * DAY);
  });

  it('calls a unit expired exactly when the drop at that moment would remove it', () => {
    const cut = NOW - 4 * DAY;
    assert.equal(isExpired(retention, 'archive', 'globex', cut, NOW), true);
    assert.equal(isExpired(retention, 'archive', 'globex', cut + 1, NOW), false);
    assert.equal(isExpired(retention, 'archive', 'acme', cut, NOW), false);
    // The same boundary retentionPlan hands to dropBefore (units ending at or before `before` go).
    const step = retentionPlan(retention, NOW).find((s) => s.store === 'archive' && s.tenant === undefined);
    assert.equal(step?.before, cut);
  });
});
