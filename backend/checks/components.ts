import type { Logger } from '../../core/log/logger.ts';
import { alertStoreConfig } from '../alerts/store/openAlertStore.ts';
import type { ServerConfig } from '../config/schema.ts';
import type { EngineDescriptor } from '../engines/descriptor.ts';
import { engineFor, REGISTRY } from '../engines/registry.ts';
import { type Engine, ROLES } from '../roles/table.ts';
import type { CheckResult } from './result.ts';

/** The stores a server process can use, besides its listen address. */
export type Component = 'bus' | 'search' | 'metrics' | 'archive' | 'alerts';

/**
 * How a role's engines (its `dependsOn` in the role table) are checked: a lease lives in the metric
 * store's database, or beside its SQLite file, so it needs what the metric store needs.
 */
const CHECKED_AS: Record<Engine, Component> = {
  bus: 'bus',
  search: 'search',
  metrics: 'metrics',
  archive: 'archive',
  'alert store': 'alerts',
  lease: 'metrics',
};
const ALL: readonly Component[] = ['bus', 'search', 'metrics', 'archive', 'alerts'];

/**
 * The stores the roles use, from the role table: `--check-config` checks, and `/readyz` watches, only
 * those of the roles this process runs, so a gateway host need not reach OpenSearch.
 */
export function componentsOf(roles: Iterable<string>): Component[] {
  const used = new Set<Component>();
  for (const name of roles) {
    const role = ROLES.find((r) => r.name === name);
    for (const c of role === undefined ? ALL : role.dependsOn.map((e) => CHECKED_AS[e])) used.add(c);
  }
  return ALL.filter((c) => used.has(c));
}

/** One configured store, ready to check fully (`--check-config`) or probe cheaply (`/readyz`). */
export interface ComponentCheck {
  component: Component;
  kind: string;
  check(deps: { log: Logger }): Promise<CheckResult>;
  /** Loads what check() needs; not part of the check's time bound. */
  prepare(): Promise<unknown>;
  /** Absent for the bus: readiness asks the open bus itself (`Bus.ready`). */
  probe?: () => Promise<CheckResult>;
}

/** The checks of the stores `config` names, for the components given. */
export function componentChecks(config: ServerConfig, components: readonly Component[]): ComponentCheck[] {
  return components.map((component) => {
    // The alert store has no section of its own: it lives where the metric store does.
    const section = component === 'alerts' ? alertStoreConfig(config.metrics) : config[component];
    // The engine registry pairs each kind with the checks of that kind's config (the config schema is its variant).
    const engine: EngineDescriptor = engineFor(REGISTRY[component], component, section.kind);
    const probe = engine.probe;
    return {
      component,
      kind: section.kind,
      check: (deps) => engine.check(section, deps),
      prepare: async () => engine.prepareCheck?.(section),
      probe: probe === undefined ? undefined : () => probe(section),
    };
  });
}
