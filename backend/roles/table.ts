/** What a role needs opened: the bus, a store, or a lease (singleton roles). */
export type Engine = 'bus' | 'search' | 'metrics' | 'archive' | 'alert store' | 'lease';

export interface RoleSpec {
  name: string;
  /** One line for people: --help, docs/operations.md. */
  does: string;
  /** Topics (`logs.raw` …), stores (`search`, `metrics`, `archive`, `alert store`) or `HTTP`. */
  reads: readonly string[];
  writes: readonly string[];
  /** The engines it opens: what a process running it needs reachable. */
  dependsOn: readonly Engine[];
  /** True: one process at a time runs it, whoever holds its lease; the others stand by. */
  singleton: boolean;
  /** The `listen` address it serves HTTP on; a process listens on the first of its roles' (table order). */
  serves?: 'gateway' | 'query';
}

/**
 * Every role a Sluice server process can run (`roles:` in sluice.yaml, `--roles`), in start order: a
 * process starts its roles top to bottom and stops them bottom to top. All of them is standalone.
 * Adding a role is a line here and its file, `backend/roles/<name>.ts`, exporting
 * `startRole(ctx: ServerContext): Promise<RoleHandle>` (loaded by name, see loadRole.ts).
 * This file imports nothing, so the config schema can take the names from it.
 */
export const ROLES = [
  {
    name: 'gateway',
    does: 'ingest over HTTP (native, OTLP, Elasticsearch `_bulk`, Loki, Splunk HEC) and OTLP/gRPC, the reverse proxy',
    reads: ['HTTP'],
    writes: ['logs.raw'],
    dependsOn: ['bus'],
    singleton: false,
    serves: 'gateway',
  },
  {
    name: 'processor',
    does: 'parse, enrich, filter, sample, mask; windowed metrics',
    reads: ['logs.raw'],
    writes: ['logs.enriched', 'logs.metrics', 'logs.dlq'],
    dependsOn: ['bus'],
    singleton: false,
  },
  {
    name: 'indexer',
    does: 'fills the search store',
    reads: ['logs.enriched'],
    writes: ['search', 'logs.dlq'],
    dependsOn: ['bus', 'search'],
    singleton: false,
  },
  {
    name: 'metrics',
    does: 'fills the metric store',
    reads: ['logs.metrics'],
    writes: ['metrics', 'logs.dlq'],
    dependsOn: ['bus', 'metrics'],
    singleton: false,
  },
  {
    name: 'archiver',
    does: 'hourly Parquet files',
    reads: ['logs.enriched'],
    writes: ['archive', 'logs.dlq'],
    dependsOn: ['bus', 'archive'],
    singleton: false,
  },
  {
    name: 'query',
    does: 'query API, web UI, live tail, the alerts API',
    reads: ['HTTP', 'search', 'metrics', 'archive', 'alert store', 'logs.enriched'],
    writes: ['alert store'],
    dependsOn: ['bus', 'search', 'metrics', 'archive', 'alert store'],
    singleton: false,
    serves: 'query',
  },
  {
    name: 'retention',
    does: 'drops expired data on schedule',
    reads: ['search', 'metrics', 'archive'],
    writes: ['search', 'metrics', 'archive'],
    dependsOn: ['search', 'metrics', 'archive', 'lease'],
    singleton: true,
  },
  {
    name: 'alerts',
    does: 'evaluates alert rules, sends notifications',
    reads: ['search', 'alert store'],
    writes: ['alert store', 'notifications'],
    dependsOn: ['search', 'alert store', 'lease'],
    singleton: true,
  },
] as const satisfies readonly RoleSpec[];

export type RoleName = (typeof ROLES)[number]['name'];

/** The role names in table order, for the config schema and `--roles`. */
export const ROLE_NAMES = ROLES.map((role) => role.name) as [RoleName, ...RoleName[]];
