import type { Logger } from '../../core/log/logger.ts';
import { alertStoreConfig } from '../alerts/store/openAlertStore.ts';
import type { ServerConfig } from '../config/schema.ts';
import { checkPostgresAlerts, probePostgresAlerts } from '../engines/alerts/postgres/check.ts';
import { checkSqliteAlerts, probeSqliteAlerts } from '../engines/alerts/sqlite/check.ts';
import { checkLocalArchive, probeLocalArchive } from '../engines/archive/local/check.ts';
import { checkS3Archive, probeS3Archive } from '../engines/archive/s3/check.ts';
import { checkEmbeddedBus } from '../engines/bus/embedded/check.ts';
import { checkKafkaBus } from '../engines/bus/kafka/check.ts';
import { checkPostgresMetrics, probePostgresMetrics } from '../engines/metrics/postgres/check.ts';
import { checkSqliteMetrics, probeSqliteMetrics } from '../engines/metrics/sqlite/check.ts';
import { checkOpenSearch, probeOpenSearch } from '../engines/search/opensearch/check.ts';
import { checkSqliteSearch, probeSqliteSearch } from '../engines/search/sqlite/check.ts';
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
  /** Absent for the bus: readiness asks the open bus itself (`Bus.ready`). */
  probe?: () => Promise<CheckResult>;
}

interface EngineChecks<C> {
  check(config: C, deps: { log: Logger }): Promise<CheckResult>;
  probe?(config: C): Promise<CheckResult>;
}

/** Each engine's check, by component and `kind` (to become a lookup in the engine registry). */
const ENGINES: Record<Component, Record<string, EngineChecks<never>>> = {
  bus: { embedded: { check: checkEmbeddedBus }, kafka: { check: checkKafkaBus } },
  search: {
    sqlite: { check: checkSqliteSearch, probe: probeSqliteSearch },
    opensearch: { check: checkOpenSearch, probe: probeOpenSearch },
  },
  metrics: {
    sqlite: { check: checkSqliteMetrics, probe: probeSqliteMetrics },
    postgres: { check: checkPostgresMetrics, probe: probePostgresMetrics },
  },
  archive: {
    local: { check: checkLocalArchive, probe: probeLocalArchive },
    s3: { check: checkS3Archive, probe: probeS3Archive },
  },
  alerts: {
    sqlite: { check: checkSqliteAlerts, probe: probeSqliteAlerts },
    postgres: { check: checkPostgresAlerts, probe: probePostgresAlerts },
  },
};

/** The checks of the stores `config` names, for the components given. */
export function componentChecks(config: ServerConfig, components: readonly Component[]): ComponentCheck[] {
  return components.map((component) => {
    // The alert store has no section of its own: it lives where the metric store does.
    const section = component === 'alerts' ? alertStoreConfig(config.metrics) : config[component];
    // The table pairs each kind with the check of that kind's config, which TypeScript cannot follow.
    const engine = ENGINES[component][section.kind] as unknown as EngineChecks<typeof section>;
    const probe = engine.probe;
    return {
      component,
      kind: section.kind,
      check: (deps) => engine.check(section, deps),
      probe: probe === undefined ? undefined : () => probe(section),
    };
  });
}
