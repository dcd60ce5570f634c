import type { ServerConfig } from '../config/schema.ts';

export type RetainedStore = 'search' | 'metrics' | 'archive';

/** One drop the retention job makes: everything of `store` before `before`, for one tenant or all but some. */
export interface DropStep {
  store: RetainedStore;
  before: number;
  /** Only this tenant (a per-tenant override). */
  tenant?: string;
  /** Every tenant but these (the global period, leaving tenants with overrides to their own step). */
  exceptTenants?: string[];
}

/**
 * The drops that enforce `retention:` at `now`. The global period applies to every tenant without an
 * override of its own; each override is a separate step for its tenant. Metric points carry tenants as
 * labels and are small, so they follow the global period only.
 */
export function retentionPlan(retention: ServerConfig['retention'], now: number): DropStep[] {
  const steps: DropStep[] = [];
  const overrides = Object.entries(retention.tenants);
  for (const store of ['search', 'archive'] as const) {
    const overridden = overrides.filter(([, o]) => o[store] !== undefined).map(([t]) => t);
    steps.push({
      store,
      before: now - retention[store],
      ...(overridden.length > 0 ? { exceptTenants: overridden } : {}),
    });
    for (const [tenant, o] of overrides) {
      const period = o[store];
      if (period !== undefined) steps.push({ store, before: now - period, tenant });
    }
  }
  steps.push({ store: 'metrics', before: now - retention.metrics });
  return steps;
}

/** How long `tenant`'s data stays in `store`: its own override, else the global period. */
export function retentionPeriod(
  retention: ServerConfig['retention'],
  store: RetainedStore,
  tenant: string,
): number {
  return retention.tenants[tenant]?.[store] ?? retention[store];
}

/**
 * Whether a unit of `store` ending at `unitEnd` (an archive hour, a search day) is already past retention
 * at `now`: the same test the drops above make, for writers that must not create what the next run would
 * only delete again (or, after a replay, bring back what a run already deleted).
 */
export function isExpired(
  retention: ServerConfig['retention'],
  store: RetainedStore,
  tenant: string,
  unitEnd: number,
  now: number,
): boolean {
  return unitEnd <= now - retentionPeriod(retention, store, tenant);
}
