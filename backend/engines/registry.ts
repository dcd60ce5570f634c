/**
 * Every engine adapter Sluice has, by port. Adding one is its folder (config.ts, index.ts exporting the
 * descriptor, contract.testkit.ts, check.ts) plus one line here: the config schema (backend/config/stores.ts),
 * the runtime (backend/runtime/openStores.ts, openBus.ts) and the contract runs (registry.test.ts,
 * test/integration/engines/registry.test.ts) all read these lists. The first of each list is the default.
 */
import { postgresAlerts } from './alerts/postgres/index.ts';
import { sqliteAlerts } from './alerts/sqlite/index.ts';
import { localArchive } from './archive/local/index.ts';
import { s3Archive } from './archive/s3/index.ts';
import { embeddedBus } from './bus/embedded/index.ts';
import { kafkaBus } from './bus/kafka/index.ts';
import type { EngineDescriptor, KindSchema, PortName } from './descriptor.ts';
import { postgresLeases } from './lease/postgres/index.ts';
import { sqliteLeases } from './lease/sqlite/index.ts';
import { postgresMetrics } from './metrics/postgres/index.ts';
import { sqliteMetrics } from './metrics/sqlite/index.ts';
import { openSearch } from './search/opensearch/index.ts';
import { sqliteSearch } from './search/sqlite/index.ts';

export const BUS = [embeddedBus, kafkaBus] as const;
export const SEARCH = [sqliteSearch, openSearch] as const;
export const METRICS = [sqliteMetrics, postgresMetrics] as const;
export const ARCHIVE = [localArchive, s3Archive] as const;
/** Follows `metrics.kind` (the alert store lives in the metrics database); no config section of its own. */
export const ALERTS = [sqliteAlerts, postgresAlerts] as const;
/** Likewise (the singleton roles' leases). */
export const LEASES = [sqliteLeases, postgresLeases] as const;

export const REGISTRY = {
  bus: BUS,
  search: SEARCH,
  metrics: METRICS,
  archive: ARCHIVE,
  alerts: ALERTS,
  leases: LEASES,
} as const;

/** Every descriptor, port by port, for the contract runs. */
export const ALL_ENGINES: readonly EngineDescriptor[] = Object.values(REGISTRY).flat();

/** The config variants of a port's adapters, in registry order, typed one by one for `v.variant('kind', …)`. */
export function kindSchemas<const T extends readonly { schema: KindSchema }[]>(
  list: T,
): { -readonly [K in keyof T]: T[K]['schema'] } {
  return list.map((descriptor) => descriptor.schema) as { -readonly [K in keyof T]: T[K]['schema'] };
}

/** The adapter of `port` whose kind is `kind`; the config schema has already refused any other kind. */
export function engineFor<const T extends readonly EngineDescriptor[]>(
  list: T,
  port: PortName,
  kind: string,
): T[number] {
  const found = list.find((descriptor) => descriptor.kind === kind);
  if (found === undefined) {
    const known = list.map((descriptor) => descriptor.kind).join(', ');
    throw new Error(`${port}.kind "${kind}" is not a known adapter (known: ${known})`);
  }
  return found;
}
