import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../core/config/parseConfig.ts';
import { serverConfigSchema } from '../config/schema.ts';
import { retentionPlan } from './plan.ts';

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
